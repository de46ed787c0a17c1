/**
 * What a booking server's clock says at the moment it receives an attempt.
 * Every stamp is captured once, at receipt, and stored in the event: nothing is
 * recomputed from "now" on replay.
 */
export interface ClockReading {
  readonly serverId: string;
  /** The booking server's own (skewed) clock, epoch ms. */
  readonly serverTimeMs: number;
  /** The lab's reference ("true") time of receipt, epoch ms. Only the lab knows it. */
  readonly referenceTimeMs: number;
  /**
   * How far referenceTimeMs may itself be from the true instant, ms: the reference
   * clock's own bound plus half the bracket it was read in. Only a real process clock
   * (CLOCK_SOURCE=real) has one, since it syncs against its NTP server and not against
   * the reference; a simulated clock is defined against the reference, so it is exact
   * there and the field is absent (as in every attempt recorded before it was kept).
   */
  readonly referenceUncertaintyMs?: number;
  /** The server's current NTP estimate of its own offset (server − reference), ms. */
  readonly estimatedOffsetMs: number;
  /** How far the corrected time may be from the reference time, ms. */
  readonly errorBoundMs: number;
  /** serverTimeMs − estimatedOffsetMs. */
  readonly ntpCorrectedTimeMs: number;
  /** Hybrid logical clock stamp, encoded so that string order is HLC order. */
  readonly hlc: string;
  /**
   * How many NTP syncs the server had made when it stamped the attempt. When the
   * next sync finds the clock jumped further than its bound allowed
   * (ClockStepDetected), the attempts of this epoch are marked out of bound.
   * Absent in attempts recorded before it was kept.
   */
  readonly syncEpoch?: number;
}

/**
 * The error bound recorded for a server that never synchronised. JSON (the log,
 * jsonb) has no Infinity, so "unbounded" is one day: wider than any skew the lab
 * models, so such an attempt is always ambiguous against its neighbours.
 */
export const UNBOUNDED_ERROR_MS = 86_400_000;

/** Keeps a bound storable: Infinity (never synchronised) becomes UNBOUNDED_ERROR_MS. */
export const storableErrorBoundMs = (errorBoundMs: number | null): number =>
  errorBoundMs !== null && Number.isFinite(errorBoundMs) ? errorBoundMs : UNBOUNDED_ERROR_MS;

/** The clock port the write side reads; the clocks module provides the real model. */
export interface BookingServerClocks {
  serverIds(): readonly string[];
  has(serverId: string): boolean;
  read(serverId: string): ClockReading;
}
