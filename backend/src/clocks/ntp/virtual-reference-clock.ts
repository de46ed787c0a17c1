import type { ReferenceClock, ReferenceClockStatus } from './reference-clock';

/** A reference clock that moves only when told to: tests and seeded runs. */
export class VirtualReferenceClock implements ReferenceClock {
  private currentMs: number;

  constructor(startMs = 0) {
    this.currentMs = startMs;
  }

  nowMs(): number {
    return this.currentMs;
  }

  set(epochMs: number): void {
    if (!Number.isFinite(epochMs)) throw new RangeError(`Virtual reference time must be finite, got ${epochMs}`);
    this.currentMs = epochMs;
  }

  /** Reference time only moves forward: a negative step is a bug in the caller. */
  advance(byMs: number): number {
    if (!Number.isFinite(byMs) || byMs < 0)
      throw new RangeError(`Virtual reference time only advances, got ${byMs} ms`);
    this.currentMs += byMs;
    return this.currentMs;
  }

  status(): ReferenceClockStatus {
    return {
      synchronized: true,
      state: 'synchronized',
      source: 'virtual',
      offsetMs: 0,
      roundTripDelayMs: 0,
      stratum: 0,
      lastSyncAt: this.currentMs,
      uncertaintyMs: 0,
    };
  }
}
