/**
 * A clock step (or a strobe flip) is invisible until the next sync: only then
 * does the server learn that its offset moved further than its bound allowed.
 * Without a step the true offset moves by at most the drift allowance, which
 * the old bound already covers, so the two estimates differ by at most the
 * old bound at the new sync plus the new bound. A larger jump means the bound
 * did not hold for the attempts stamped since the previous sync.
 */
import { errorBoundMs, type SyncState, type SynchronizedState } from './sync-state';

export interface DetectedStep {
  /** New estimate minus old estimate: how far the clock moved unexplained, ms (positive = jumped ahead). */
  readonly jumpMs: number;
  /** The most the estimate may move between the two syncs without a step, ms. */
  readonly allowedMs: number;
}

export const detectStep = (previous: SyncState, next: SynchronizedState): DetectedStep | null => {
  if (previous.kind !== 'synchronized') return null;
  const oldBoundMs = errorBoundMs(previous, next.lastSyncServerMs);
  if (!Number.isFinite(oldBoundMs)) return null;
  const jumpMs = next.estimatedOffsetMs - previous.estimatedOffsetMs;
  const allowedMs = oldBoundMs + next.errorBoundAtSyncMs;
  return Math.abs(jumpMs) > allowedMs ? { jumpMs, allowedMs } : null;
};

/**
 * The fact a sync records when it detects a step (stream `clock-<server>`, or
 * `run-<id>-clock-<server>` in a scenario run).
 */
export interface ClockStepDetected {
  readonly type: 'ClockStepDetected';
  readonly data: {
    readonly serverId: string;
    /** New estimate minus old estimate, ms. */
    readonly jumpMs: number;
    /** The most the estimate could move without a step, ms. */
    readonly allowedMs: number;
    readonly estimatedOffsetBeforeMs: number;
    readonly estimatedOffsetAfterMs: number;
    /** Attempts of this server stamped in this sync epoch are out of bound. */
    readonly suspectSyncEpoch: number;
    /** The lab's reference time of the detecting sync (for the history; not used to decide). */
    readonly referenceTimeMs: number;
    readonly runId: string | null;
  };
}
