/**
 * The seat stream's decider: the seat is assigned once, and every attempt a
 * booking server confirmed locally but that lost is revoked once. The stream's
 * revision is the single guard: two authorities deciding at once append one
 * assignment between them.
 */
import { assertNever } from '../../shared/assert-never';
import type { LocalDecision, OrderingStrategy, ReservationRevoked, SeatAssigned, SeatStreamEvent } from './seat-events';

export interface SeatHolder {
  readonly attemptId: string;
  readonly customerName: string;
  readonly serverId: string;
}

/** An attempt as the seat stream needs to know it: enough to assign or revoke it. */
export interface AttemptSummary extends SeatHolder {
  readonly localDecision: LocalDecision;
}

export interface Loser extends AttemptSummary {
  /** Why it lost, in words (the resolution model's reason). */
  readonly reason: string;
}

export interface AssignSeat {
  readonly type: 'AssignSeat';
  readonly seatId: number;
  readonly runId: string | null;
  readonly winner: SeatHolder;
  readonly decidedBy: Extract<OrderingStrategy, 'ntp_corrected' | 'log_order'>;
  /** Every other attempt the authority considered; those confirmed locally are revoked. */
  readonly losers: readonly Loser[];
  /** The log position the authority had read; null in seeded runs (every attempt before the assignment). */
  readonly consideredUpTo: bigint | null;
  readonly windowMs: number;
  readonly closesAtMs: number;
  readonly candidateIds: readonly string[];
}

/** Attempts confirmed locally after (or while) the seat was settled: they lose to the holder. */
export interface RevokeLateAttempts {
  readonly type: 'RevokeLateAttempts';
  readonly seatId: number;
  readonly runId: string | null;
  readonly attempts: readonly Loser[];
}

export type SeatCommand = AssignSeat | RevokeLateAttempts;

export interface SeatState {
  readonly seatId: number;
  readonly holder: SeatHolder | null;
  readonly revoked: ReadonlySet<string>;
}

export const initialSeatState = (seatId: number): SeatState => ({ seatId, holder: null, revoked: new Set() });

export class SeatCommandRejected extends Error {
  override readonly name = 'SeatCommandRejected';
}

const revocation = (command: SeatCommand, loser: Loser, winner: SeatHolder): ReservationRevoked => ({
  type: 'ReservationRevoked',
  data: {
    seatId: command.seatId,
    attemptId: loser.attemptId,
    customerName: loser.customerName,
    serverId: loser.serverId,
    winnerAttemptId: winner.attemptId,
    reason: `${loser.serverId} confirmed it locally, but it lost to ${winner.customerName} (${winner.serverId}): ${loser.reason}`,
    runId: command.runId,
  },
});

/** Confirmed locally, not the holder, not revoked yet; each attempt once. */
const toRevoke = (losers: readonly Loser[], holder: SeatHolder, state: SeatState): Loser[] => {
  const seen = new Set<string>();
  return losers.filter((loser) => {
    if (loser.localDecision !== 'confirmed' || loser.attemptId === holder.attemptId) return false;
    if (state.revoked.has(loser.attemptId) || seen.has(loser.attemptId)) return false;
    seen.add(loser.attemptId);
    return true;
  });
};

export const decideSeat = (command: SeatCommand, state: SeatState): SeatStreamEvent[] => {
  if (command.seatId !== state.seatId) {
    throw new SeatCommandRejected(`${command.type} for seat ${command.seatId} sent to seat ${state.seatId}`);
  }
  switch (command.type) {
    case 'AssignSeat': {
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
          consideredUpTo: command.consideredUpTo === null ? null : command.consideredUpTo.toString(),
          windowMs: command.windowMs,
          closesAtMs: Number.isFinite(command.closesAtMs) ? command.closesAtMs : null,
          candidateIds: command.candidateIds,
        },
      };
      return [
        assigned,
        ...toRevoke(command.losers, command.winner, state).map((loser) => revocation(command, loser, command.winner)),
      ];
    }
    case 'RevokeLateAttempts': {
      if (!state.holder)
        throw new SeatCommandRejected(`seat ${command.seatId} is not assigned: nothing can lose to it yet`);
      const holder = state.holder;
      return toRevoke(command.attempts, holder, state).map((loser) => revocation(command, loser, holder));
    }
    default:
      return assertNever(command);
  }
};

export const evolveSeat = (state: SeatState, event: SeatStreamEvent): SeatState => {
  switch (event.type) {
    case 'SeatAssigned':
      if (state.holder) return state;
      return {
        ...state,
        holder: {
          attemptId: event.data.attemptId,
          customerName: event.data.customerName,
          serverId: event.data.serverId,
        },
      };
    case 'ReservationRevoked':
      return { ...state, revoked: new Set([...state.revoked, event.data.attemptId]) };
    default:
      return assertNever(event);
  }
};

export const foldSeat = (seatId: number, events: readonly SeatStreamEvent[]): SeatState =>
  events.reduce(evolveSeat, initialSeatState(seatId));
