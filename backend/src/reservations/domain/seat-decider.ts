/** The seat decider: the whole write-side rule of reservations, pure. */
import { assertNever } from '../../shared/assert-never';
import type { ClockReading } from './clock-reading';
import type { LocalDecision, OrderingStrategy, ReservationRevoked, SeatAssigned, SeatEvent } from './seat-events';

export interface SeatHolder {
  readonly attemptId: string;
  readonly customerName: string;
  readonly serverId: string;
}

export interface SeatState {
  readonly seatId: number;
  readonly holder: SeatHolder | null;
}

export const initialSeatState = (seatId: number): SeatState => ({ seatId, holder: null });

export interface AttemptReservation {
  readonly type: 'AttemptReservation';
  readonly attemptId: string;
  readonly seatId: number;
  readonly customerName: string;
  readonly clock: ClockReading;
  readonly runId: string | null;
}

/** An attempt as the resolver knows it: enough to assign or revoke it. */
export interface AttemptSummary extends SeatHolder {
  readonly localDecision: LocalDecision;
}

export interface AssignSeat {
  readonly type: 'AssignSeat';
  readonly seatId: number;
  readonly winner: SeatHolder;
  readonly decidedBy: OrderingStrategy;
  /** Every other attempt on the seat; those their server had confirmed get revoked. */
  readonly losers: readonly AttemptSummary[];
  readonly runId: string | null;
}

export type SeatCommand = AttemptReservation | AssignSeat;

export class SeatCommandRejected extends Error {
  override readonly name = 'SeatCommandRejected';
}

export const decide = (command: SeatCommand, state: SeatState): SeatEvent[] => {
  switch (command.type) {
    case 'AttemptReservation':
      // The booking server answers from its own view: it cannot know about
      // attempts other servers are receiving right now.
      return [
        {
          type: 'ReservationAttempted',
          data: {
            attemptId: command.attemptId,
            seatId: command.seatId,
            customerName: command.customerName,
            localDecision: state.holder ? 'rejected' : 'confirmed',
            clock: command.clock,
            runId: command.runId,
          },
        },
      ];
    case 'AssignSeat':
      return decideAssignment(command, state);
    default:
      return assertNever(command);
  }
};

const decideAssignment = (command: AssignSeat, state: SeatState): SeatEvent[] => {
  if (command.seatId !== state.seatId) {
    throw new SeatCommandRejected(`AssignSeat for seat ${command.seatId} sent to seat ${state.seatId}`);
  }
  // A seat is assigned once; a second resolution (another process, a retry) changes nothing.
  if (state.holder) return [];
  const assigned: SeatAssigned = {
    type: 'SeatAssigned',
    data: {
      seatId: command.seatId,
      attemptId: command.winner.attemptId,
      customerName: command.winner.customerName,
      serverId: command.winner.serverId,
      decidedBy: command.decidedBy,
      runId: command.runId,
    },
  };
  const revoked: ReservationRevoked[] = command.losers
    .filter((loser) => loser.localDecision === 'confirmed' && loser.attemptId !== command.winner.attemptId)
    .map((loser) => ({
      type: 'ReservationRevoked',
      data: {
        seatId: command.seatId,
        attemptId: loser.attemptId,
        customerName: loser.customerName,
        serverId: loser.serverId,
        winnerAttemptId: command.winner.attemptId,
        reason: `${loser.serverId} confirmed it locally, but ${command.winner.customerName} (${command.winner.serverId}) came first by ${command.decidedBy} order`,
        runId: command.runId,
      },
    }));
  return [assigned, ...revoked];
};

export const evolve = (state: SeatState, event: SeatEvent): SeatState => {
  switch (event.type) {
    case 'ReservationAttempted':
    case 'ReservationRevoked':
      return state;
    case 'SeatAssigned':
      return {
        ...state,
        holder: {
          attemptId: event.data.attemptId,
          customerName: event.data.customerName,
          serverId: event.data.serverId,
        },
      };
    default:
      return assertNever(event);
  }
};

export const foldSeat = (seatId: number, events: readonly SeatEvent[]): SeatState =>
  events.reduce(evolve, initialSeatState(seatId));
