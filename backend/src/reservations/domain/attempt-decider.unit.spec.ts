import { deciderSpecification } from '../../testing/decider-specification';
import {
  decideAttempt,
  evolveAttempt,
  initialAttemptState,
  type AttemptCommand,
  type AttemptState,
} from './attempt-decider';
import type { ClockReading } from './clock-reading';
import type { AttemptStreamEvent } from './seat-events';

const spec = deciderSpecification<AttemptCommand, AttemptStreamEvent, AttemptState>({
  decide: decideAttempt,
  evolve: evolveAttempt,
  initialState: initialAttemptState,
});

const clock: ClockReading = {
  serverId: 'server-1',
  serverTimeMs: 1_700_000_000_120,
  referenceTimeMs: 1_700_000_000_000,
  estimatedOffsetMs: 118,
  errorBoundMs: 6,
  ntpCorrectedTimeMs: 1_700_000_000_002,
  hlc: '001700000000120.0000000000.server-1',
  syncEpoch: 3,
};

const record = (seatLooksTaken: boolean): AttemptCommand => ({
  type: 'RecordAttempt',
  attemptId: 'a1',
  seatId: 7,
  customerName: 'Ana',
  clock,
  runId: null,
  seatLooksTaken,
});

const attempted = (localDecision: 'confirmed' | 'rejected'): AttemptStreamEvent => ({
  type: 'ReservationAttempted',
  data: { attemptId: 'a1', seatId: 7, customerName: 'Ana', localDecision, clock, runId: null },
});

describe('attempt decider (stream attempt-<id>)', () => {
  it('confirms locally when the booking server sees the seat free', () => {
    spec
      .given([])
      .when(record(false))
      .then([attempted('confirmed')]);
  });

  it('rejects locally when the booking server already sees the seat assigned, and still records the attempt', () => {
    spec
      .given([])
      .when(record(true))
      .then([attempted('rejected')]);
  });

  it('records nothing the second time (a retried request with the same idempotency key)', () => {
    spec
      .given([attempted('confirmed')])
      .when(record(true))
      .then([]);
  });
});
