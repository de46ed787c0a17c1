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

/** In the attempt's own stream `attempt-<id>`. */
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

/** In the seat stream `seat-<n>` (or `run-<id>-seat-<n>`): the resolution, once. */
export interface SeatAssigned {
  readonly type: 'SeatAssigned';
  readonly data: {
    readonly seatId: number;
    readonly attemptId: string;
    readonly customerName: string;
    readonly serverId: string;
    /** ntp_corrected when one attempt could be first, log_order when time could not tell. */
    readonly decidedBy: OrderingStrategy;
    readonly runId: string | null;
    /**
     * The log position the authority had read when it decided (decimal string). Attempts
     * after it did not compete. Absent in events recorded before it was kept, and in
     * seeded runs, where it is every attempt before this event.
     */
    readonly consideredUpTo?: string | null;
    /** The conflict window the authority applied, ms. */
    readonly windowMs?: number;
    /** When the window closed (c + b of its anchor, plus the window); null when no attempt had a bound. */
    readonly closesAtMs?: number | null;
    /** The attempts that could have been first (more than one: time could not decide). */
    readonly candidateIds?: readonly string[];
  };
}

/** In the seat stream, with the assignment or after it (an attempt confirmed locally after the seat settled). */
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

export type AttemptStreamEvent = ReservationAttempted;
export type SeatStreamEvent = SeatAssigned | ReservationRevoked;
export type SeatEvent = AttemptStreamEvent | SeatStreamEvent;
export type SeatEventType = SeatEvent['type'];

export const SEAT_EVENT_TYPES: readonly SeatEventType[] = [
  'ReservationAttempted',
  'SeatAssigned',
  'ReservationRevoked',
];

export const isSeatEventType = (type: string): type is SeatEventType =>
  (SEAT_EVENT_TYPES as readonly string[]).includes(type);
