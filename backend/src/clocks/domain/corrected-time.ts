import { errorBoundMs, type SyncState } from './sync-state';

/** One reading of a booking server's clock with everything NTP says about it. */
export interface CorrectedReading {
  /** What the (skewed) server clock reads. */
  readonly serverTimeMs: number;
  /** The server's estimated offset (positive = ahead); 0 when never synced. */
  readonly estimatedOffsetMs: number;
  /** serverTimeMs − estimatedOffsetMs. */
  readonly ntpCorrectedTimeMs: number;
  /** Infinity when the server has no bound (never synchronised, told never to sync, stale). */
  readonly errorBoundMs: number;
  readonly synchronized: boolean;
}

export const estimatedOffsetOf = (state: SyncState): number => state.estimatedOffsetMs ?? 0;

/** NTP-corrected time = server time − estimated offset (see ntp-exchange.ts for the sign). */
export const ntpCorrectedTimeMs = (serverTimeMs: number, state: SyncState): number =>
  serverTimeMs - estimatedOffsetOf(state);

export const correctedReading = (serverTimeMs: number, state: SyncState): CorrectedReading => ({
  serverTimeMs,
  estimatedOffsetMs: estimatedOffsetOf(state),
  ntpCorrectedTimeMs: ntpCorrectedTimeMs(serverTimeMs, state),
  errorBoundMs: errorBoundMs(state, serverTimeMs),
  synchronized: Number.isFinite(errorBoundMs(state, serverTimeMs)),
});
