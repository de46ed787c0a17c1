/** Past-tense facts of the reservation domain, as stored in the log (camelCase JSON). */
import type { ClockReading } from './clock-reading';

export type LocalDecision = 'confirmed' | 'rejected';

export type OrderingStrategy = 'server_clock' | 'ntp_corrected' | 'log_order' | 'hlc' | 'truth';
export const ORDERING_STRATEGIES: readonly OrderingStrategy[] = [
  'server_clock',
  'ntp_corrected',
  'log_order',
  'hlc',
  'truth',
];

export interface ReservationAttempted {
  readonly type: 'ReservationAttempted';
  readonly data: {
    readonly attemptId: string;
    readonly seatId: number;
    readonly customerName: string;
    /** What the booking server answered at once from its own view of the seat. */
    readonly localDecision: LocalDecision;
    readonly clock: ClockReading;
    /** Set when the attempt belongs to a seeded scenario run. */
    readonly runId: string | null;
  };
}

export interface SeatAssigned {
  readonly type: 'SeatAssigned';
  readonly data: {
    readonly seatId: number;
    readonly attemptId: string;
    readonly customerName: string;
    readonly serverId: string;
    /** The ordering that picked the winner (ntp_corrected, or log_order when time cannot tell). */
    readonly decidedBy: OrderingStrategy;
    readonly runId: string | null;
  };
}

export interface ReservationRevoked {
  readonly type: 'ReservationRevoked';
  readonly data: {
    readonly seatId: number;
    readonly attemptId: string;
    readonly customerName: string;
    readonly serverId: string;
    readonly winnerAttemptId: string;
    readonly reason: string;
    readonly runId: string | null;
  };
}

export type SeatEvent = ReservationAttempted | SeatAssigned | ReservationRevoked;
export type SeatEventType = SeatEvent['type'];

export const SEAT_EVENT_TYPES: readonly SeatEventType[] = [
  'ReservationAttempted',
  'SeatAssigned',
  'ReservationRevoked',
];

export const isSeatEventType = (type: string): type is SeatEventType =>
  (SEAT_EVENT_TYPES as readonly string[]).includes(type);
