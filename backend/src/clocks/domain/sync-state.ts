import type { NtpExchange } from './ntp-exchange';

/**
 * What a booking server knows about its own clock after NTP exchanges.
 * Times in the state are the SERVER's own clock readings (a server cannot
 * know reference time), so the error bound can be computed by the server.
 */

/** RFC 5905 PHI: the frequency tolerance assumed for any disciplined clock. */
export const PHI_PPM = 15;

export interface UnsynchronizedState {
  readonly kind: 'unsynchronized';
  /**
   * The last estimate the server still applies (like a daemon in holdover),
   * when it had one; its bound is unbounded all the same. Absent = 0.
   */
  readonly estimatedOffsetMs?: number;
  /** Why there is no bound: never synchronised yet, told never to sync, or the clock was replaced by a scenario. */
  readonly reason?: 'never_synchronized' | 'never_syncs' | 'clock_replaced';
}

export interface SynchronizedState {
  readonly kind: 'synchronized';
  /** −θ of the last exchange: positive = this server is ahead. */
  readonly estimatedOffsetMs: number;
  /** δ of the last exchange. */
  readonly roundTripDelayMs: number;
  /** δ/2 plus the read precision allowance and the drift over the exchange itself: the bound right after the sync. */
  readonly errorBoundAtSyncMs: number;
  /** The server's own clock when the reply arrived (t4). */
  readonly lastSyncServerMs: number;
  /** How fast the bound widens after the sync, in ppm of elapsed time. */
  readonly driftAllowancePpm: number;
  /** After this long without a new sync (server clock) the estimate is stale beyond reason: unbounded. */
  readonly staleAfterMs?: number;
}

export type SyncState = UnsynchronizedState | SynchronizedState;

export const neverSynchronized: UnsynchronizedState = { kind: 'unsynchronized' };

export interface SyncAllowances {
  /**
   * Worst-case error of one clock reading (the server's jitter). Counted three
   * times: once in the later reading, once averaged into θ (t1 and t4), once
   * because jitter can shrink the measured δ below the real round trip.
   */
  readonly readPrecisionMs: number;
  /** Defaults to PHI (15 ppm). */
  readonly driftAllowancePpm?: number;
  /** See SynchronizedState.staleAfterMs; default: never stale. */
  readonly staleAfterMs?: number;
}

export const synchronizedFrom = (exchange: NtpExchange, allowances: SyncAllowances): SynchronizedState => {
  const driftAllowancePpm = allowances.driftAllowancePpm ?? PHI_PPM;
  const readPrecisionMs = Math.abs(allowances.readPrecisionMs);
  const measuredRoundTripMs = Math.max(0, exchange.roundTripDelayMs);
  // The longest real round trip the measured δ allows: jitter on t1 and t4 may have shortened it.
  const longestRoundTripMs = measuredRoundTripMs + 2 * readPrecisionMs;
  return {
    kind: 'synchronized',
    estimatedOffsetMs: exchange.estimatedOffsetMs,
    roundTripDelayMs: exchange.roundTripDelayMs,
    errorBoundAtSyncMs:
      // δ/2 is the RFC 5905 bound on the asymmetry error: |d_out − d_in|/2 ≤ (d_out + d_in)/2.
      measuredRoundTripMs / 2 +
      3 * readPrecisionMs +
      // RFC 5905's sample dispersion Φ·(T4 − T1): the clock drifts during the exchange too, so a
      // slow clock measures a δ shorter than the real round trip and δ/2 alone falls short.
      driftAllowancePpm * 1e-6 * longestRoundTripMs,
    lastSyncServerMs: exchange.timestamps.t4,
    driftAllowancePpm,
    ...(allowances.staleAfterMs !== undefined ? { staleAfterMs: allowances.staleAfterMs } : {}),
  };
};

/** A server that loses its bound keeps applying its last estimate (if any), as a daemon in holdover does. */
export const unbounded = (
  previous: SyncState,
  reason: NonNullable<UnsynchronizedState['reason']>,
): UnsynchronizedState => {
  const estimate = previous.kind === 'synchronized' ? previous.estimatedOffsetMs : previous.estimatedOffsetMs;
  return { kind: 'unsynchronized', reason, ...(estimate !== undefined ? { estimatedOffsetMs: estimate } : {}) };
};

/**
 * Error bound of NTP-corrected time at the given server clock reading:
 * δ/2 (+ read precision, + the drift allowance × δ) at sync, widening by the
 * drift allowance × time since the sync. Infinite for a server that never synchronised (JSON
 * serialises Infinity as null: callers that persist it must say "unbounded").
 */
export const errorBoundMs = (state: SyncState, atServerMs: number): number => {
  if (state.kind === 'unsynchronized') return Number.POSITIVE_INFINITY;
  const elapsedMs = Math.abs(atServerMs - state.lastSyncServerMs);
  if (state.staleAfterMs !== undefined && elapsedMs > state.staleAfterMs) return Number.POSITIVE_INFINITY;
  return state.errorBoundAtSyncMs + state.driftAllowancePpm * 1e-6 * elapsedMs;
};
