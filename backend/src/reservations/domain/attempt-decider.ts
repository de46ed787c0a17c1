/**
 * The attempt stream's decider: a booking server records one attempt,
 * answering the customer at once from its own view of the seat. It cannot
 * know about attempts other servers are receiving right now: that is the
 * phenomenon under study. Recording the same attempt twice (a client retry
 * with the same idempotency key) records nothing new.
 */
import { assertNever } from '../../shared/assert-never';
import type { ClockReading } from './clock-reading';
import type { AttemptStreamEvent, ReservationAttempted } from './seat-events';

export interface RecordAttempt {
  readonly type: 'RecordAttempt';
  readonly attemptId: string;
  readonly seatId: number;
  readonly customerName: string;
  readonly clock: ClockReading;
  readonly runId: string | null;
  /** The booking server's own (possibly stale) view: it already sees the seat assigned. */
  readonly seatLooksTaken: boolean;
}

export type AttemptCommand = RecordAttempt;

export interface AttemptState {
  readonly recorded: ReservationAttempted['data'] | null;
}

export const initialAttemptState = (): AttemptState => ({ recorded: null });

export const decideAttempt = (command: AttemptCommand, state: AttemptState): AttemptStreamEvent[] => {
  switch (command.type) {
    case 'RecordAttempt':
      if (state.recorded) return [];
      return [
        {
          type: 'ReservationAttempted',
          data: {
            attemptId: command.attemptId,
            seatId: command.seatId,
            customerName: command.customerName,
            localDecision: command.seatLooksTaken ? 'rejected' : 'confirmed',
            clock: command.clock,
            runId: command.runId,
          },
        },
      ];
    default:
      return assertNever(command.type);
  }
};

export const evolveAttempt = (state: AttemptState, event: AttemptStreamEvent): AttemptState => {
  switch (event.type) {
    case 'ReservationAttempted':
      return state.recorded ? state : { recorded: event.data };
    default:
      return assertNever(event.type);
  }
};
