/**
 * The host's wall clock with sub-millisecond resolution.
 *
 * Date.now() floors to whole ms, which would bias an NTP offset by about
 * +0.5 ms (t1 and t4 both read early). Instead we tie the monotonic
 * high-resolution clock to the wall clock: wall = C + hr, where each pair of
 * reads bounds C (Date.now() = floor(wall) at some instant between the two
 * hrtime reads around it). Spinning across a millisecond edge squeezes the
 * bounds to a few µs; a preempted read only loosens its own bounds, so the
 * estimate degrades gracefully under load. Anchor anew for each measurement:
 * the monotonic clock does not follow steps of the wall clock.
 */
import { tightestOf } from './tightest-of';

export interface HostClock {
  nowMs(): number;
  /** Half-width of the anchor's uncertainty, in ms (≤ 0.5). */
  readonly uncertaintyMs: number;
}

const MAX_SPIN_MS = 5;
const TARGET_WIDTH_MS = 0.01;

export const createPreciseHostClock = (wallNowMs: () => number = Date.now): HostClock => {
  const baseNs = process.hrtime.bigint();
  const hrMs = (): number => Number(process.hrtime.bigint() - baseNs) / 1e6;
  let lowerMs = Number.NEGATIVE_INFINITY; // C ≥ wall − hrAfter
  let upperMs = Number.POSITIVE_INFINITY; // C < wall + 1 − hrBefore
  for (;;) {
    const before = hrMs();
    const wall = wallNowMs();
    const after = hrMs();
    lowerMs = Math.max(lowerMs, wall - after);
    upperMs = Math.min(upperMs, wall + 1 - before);
    if (upperMs - lowerMs <= TARGET_WIDTH_MS || after > MAX_SPIN_MS) break;
  }
  const anchorMs = (lowerMs + upperMs) / 2;
  return { nowMs: () => anchorMs + hrMs(), uncertaintyMs: Math.max(0, upperMs - lowerMs) / 2 };
};

/**
 * The tightest of a few anchors: a spin preempted by another process (a loaded machine) leaves an
 * anchor loose by up to half a millisecond, and the next try is usually clean.
 */
export const createTightPreciseHostClock = (
  wallNowMs: () => number = Date.now,
  { tightMs = 0.05, tries = 5 }: { tightMs?: number; tries?: number } = {},
): HostClock =>
  tightestOf(
    () => createPreciseHostClock(wallNowMs),
    (clock) => clock.uncertaintyMs,
    { tightMs, tries },
  );
