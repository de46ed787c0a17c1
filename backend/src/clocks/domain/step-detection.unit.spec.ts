import { detectStep } from './step-detection';
import { neverSynchronized, unbounded, type SynchronizedState } from './sync-state';

const synced = (estimatedOffsetMs: number, atServerMs: number, boundMs = 10): SynchronizedState => ({
  kind: 'synchronized',
  estimatedOffsetMs,
  roundTripDelayMs: 2 * boundMs,
  errorBoundAtSyncMs: boundMs,
  lastSyncServerMs: atServerMs,
  driftAllowancePpm: 15,
});

describe('detectStep: a sync finds the clock moved further than its bound allowed', () => {
  it('says nothing when the estimate moved within the old bound (now) plus the new bound', () => {
    // Old bound after 60 s: 10 + 15 ppm × 60 s = 10.9 ms; new bound 10 ms: 20.9 ms allowed.
    expect(detectStep(synced(100, 0), synced(120, 60_000))).toBeNull();
  });

  it('reports the jump and what was allowed when it moved further', () => {
    expect(detectStep(synced(100, 0), synced(3100, 60_000))).toEqual({
      jumpMs: 3000,
      allowedMs: expect.closeTo(20.9, 6),
    });
    expect(detectStep(synced(100, 0), synced(-2000, 60_000))?.jumpMs).toBe(-2100);
  });

  it('has nothing to compare after no sync, or after the bound was lost', () => {
    expect(detectStep(neverSynchronized, synced(3100, 60_000))).toBeNull();
    expect(detectStep(unbounded(synced(100, 0), 'never_syncs'), synced(3100, 60_000))).toBeNull();
  });
});
