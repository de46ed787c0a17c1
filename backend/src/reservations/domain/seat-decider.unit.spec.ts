import { deciderSpecification } from '../../testing/decider-specification';
import { decideSeat, evolveSeat, initialSeatState, type Loser, type SeatCommand, type SeatState } from './seat-decider';
import type { SeatStreamEvent } from './seat-events';

const SEAT = 7;
const spec = deciderSpecification<SeatCommand, SeatStreamEvent, SeatState>({
  decide: decideSeat,
  evolve: evolveSeat,
  initialState: () => initialSeatState(SEAT),
});

const ana = { attemptId: 'a1', customerName: 'Ana', serverId: 'server-1' };
const loser = (
  attemptId: string,
  customerName: string,
  localDecision: 'confirmed' | 'rejected' = 'confirmed',
): Loser => ({
  attemptId,
  customerName,
  serverId: 'server-2',
  localDecision,
  reason: 'Ana (server-1) provably came first',
});

const assign = (losers: Loser[] = []): SeatCommand => ({
  type: 'AssignSeat',
  seatId: SEAT,
  runId: null,
  winner: ana,
  decidedBy: 'ntp_corrected',
  losers,
  consideredUpTo: 42n,
  windowMs: 2000,
  closesAtMs: 1_700_000_002_010,
  candidateIds: ['a1'],
});

const assigned: SeatStreamEvent = {
  type: 'SeatAssigned',
  data: {
    seatId: SEAT,
    attemptId: 'a1',
    customerName: 'Ana',
    serverId: 'server-1',
    decidedBy: 'ntp_corrected',
    runId: null,
    consideredUpTo: '42',
    windowMs: 2000,
    closesAtMs: 1_700_000_002_010,
    candidateIds: ['a1'],
  },
};

const revoked = (attemptId: string, customerName: string): SeatStreamEvent => ({
  type: 'ReservationRevoked',
  data: {
    seatId: SEAT,
    attemptId,
    customerName,
    serverId: 'server-2',
    winnerAttemptId: 'a1',
    reason: 'server-2 confirmed it locally, but it lost to Ana (server-1): Ana (server-1) provably came first',
    runId: null,
  },
});

describe('seat decider (stream seat-<n>)', () => {
  it('assigns the winner, with what the authority considered, and revokes the losers their server had confirmed', () => {
    spec
      .given([])
      .when(assign([loser('b1', 'Bob'), loser('c1', 'Cy', 'rejected')]))
      .then([assigned, revoked('b1', 'Bob')]);
  });

  it('assigns nothing a second time: the resolution is idempotent', () => {
    spec
      .given([assigned])
      .when(assign([loser('b1', 'Bob')]))
      .then([]);
  });

  it('never revokes the winner, nor an attempt twice', () => {
    spec
      .given([])
      .when(assign([{ ...loser('a1', 'Ana'), serverId: 'server-1' }, loser('b1', 'Bob'), loser('b1', 'Bob')]))
      .then([assigned, revoked('b1', 'Bob')]);
  });

  it('revokes attempts confirmed after the settlement, each once', () => {
    spec
      .given([assigned, revoked('b1', 'Bob')])
      .when({
        type: 'RevokeLateAttempts',
        seatId: SEAT,
        runId: null,
        attempts: [loser('b1', 'Bob'), loser('d1', 'Dee')],
      })
      .then([revoked('d1', 'Dee')]);
  });

  it('refuses late revocations on a seat nobody holds yet', () => {
    spec
      .given([])
      .when({ type: 'RevokeLateAttempts', seatId: SEAT, runId: null, attempts: [loser('d1', 'Dee')] })
      .thenThrows(/not assigned/);
  });

  it('refuses a command addressed to another seat', () => {
    spec
      .given([])
      .when({ ...assign(), seatId: 8 })
      .thenThrows(/seat 8 sent to seat 7/);
  });
});
