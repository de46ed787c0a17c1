/**
 * What the settling authority knows of one attempt: the stamps its booking
 * server recorded and its place in the log. The reference ("true") time is
 * deliberately absent: no decision may read it (see scoring/ for the lab's
 * oracle, which only scores).
 */
import { UNBOUNDED_ERROR_MS } from './clock-reading';
import type { LocalDecision, ReservationAttempted } from './seat-events';

export interface AttemptFacts {
  readonly attemptId: string;
  readonly customerName: string;
  readonly serverId: string;
  readonly localDecision: LocalDecision;
  /** The booking server's own (skewed) clock at receipt, epoch ms. */
  readonly serverTimeMs: number;
  /** Server time minus its NTP offset estimate, epoch ms. */
  readonly ntpCorrectedTimeMs: number;
  /** How far the corrected time may be from the truth; UNBOUNDED_ERROR_MS (or more, or Infinity) = unbounded. */
  readonly errorBoundMs: number;
  readonly hlc: string;
  /** Global position in the event store. */
  readonly logPosition: bigint;
}

/** A server that never synchronised, or whose last sync is stale beyond reason, cannot place its attempts in time. */
export const isUnbounded = (errorBoundMs: number): boolean =>
  !Number.isFinite(errorBoundMs) || errorBoundMs >= UNBOUNDED_ERROR_MS;

/** The earliest the attempt can truly have happened: c − b (−∞ when unbounded). */
export const earliestPossibleMs = (attempt: AttemptFacts): number =>
  isUnbounded(attempt.errorBoundMs) ? Number.NEGATIVE_INFINITY : attempt.ntpCorrectedTimeMs - attempt.errorBoundMs;

/** The latest the attempt can truly have happened: c + b (+∞ when unbounded). */
export const latestPossibleMs = (attempt: AttemptFacts): number =>
  isUnbounded(attempt.errorBoundMs) ? Number.POSITIVE_INFINITY : attempt.ntpCorrectedTimeMs + attempt.errorBoundMs;

/** What the authority reads off a recorded attempt (the reference time stays behind). */
export const attemptFactsOf = (data: ReservationAttempted['data'], logPosition: bigint): AttemptFacts => ({
  attemptId: data.attemptId,
  customerName: data.customerName,
  serverId: data.clock.serverId,
  localDecision: data.localDecision,
  serverTimeMs: data.clock.serverTimeMs,
  ntpCorrectedTimeMs: data.clock.ntpCorrectedTimeMs,
  errorBoundMs: data.clock.errorBoundMs,
  hlc: data.clock.hlc,
  logPosition,
});
