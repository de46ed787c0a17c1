/**
 * The conflict window of a seat, as the authority can know it.
 *
 * The seat's truly first attempt happened no later than the smallest
 * "latest possible time" (c + b) of any attempt on the seat: every attempt
 * happened after the first one, and each happened before its own c + b.
 * That attempt is the window's anchor, and the window closes `windowMs`
 * after it. An attempt whose earliest possible time (c − b) is at or past the
 * close provably came more than `windowMs` after the first one; any other
 * attempt (including one whose interval straddles the close) competes.
 * Attempts without a bound never anchor the window and always compete.
 */
import { latestPossibleMs, type AttemptFacts } from '../attempt-facts';
import { comparePositions } from '../ordering';

export interface SeatWindow<T extends AttemptFacts> {
  /** The attempt with the smallest latest possible time; null when no attempt has a bound. */
  readonly anchor: T | null;
  /** anchor's c + b + windowMs; +∞ when no attempt has a bound. */
  readonly closesAtMs: number;
}

/** True when `candidate` would anchor the window instead of `anchor` (ties keep the earlier log position). */
export const anchorsBefore = (candidate: AttemptFacts, anchor: AttemptFacts | null): boolean => {
  const latest = latestPossibleMs(candidate);
  if (!Number.isFinite(latest)) return false;
  if (anchor === null) return true;
  const anchorLatest = latestPossibleMs(anchor);
  return (
    latest < anchorLatest ||
    (latest === anchorLatest && comparePositions(candidate.logPosition, anchor.logPosition) < 0)
  );
};

export const closesAtMs = (anchor: AttemptFacts | null, windowMs: number): number =>
  anchor === null ? Number.POSITIVE_INFINITY : latestPossibleMs(anchor) + windowMs;

export const seatWindowOf = <T extends AttemptFacts>(attempts: readonly T[], windowMs: number): SeatWindow<T> => {
  let anchor: T | null = null;
  for (const attempt of attempts) if (anchorsBefore(attempt, anchor)) anchor = attempt;
  return { anchor, closesAtMs: closesAtMs(anchor, windowMs) };
};

/**
 * When the authority may settle, on its own clock: once the window has
 * closed, plus a grace for attempts stamped before the close that are still
 * on their way to the log. Its own clock also bounds the first attempt: that
 * one happened before the authority first saw an attempt of the seat, so the
 * window is over `windowMs` after that moment at the latest (this is what
 * settles a seat whose attempts are all unbounded, or whose stamps lie in the
 * future because a clock stepped ahead unseen). Timing only: who competes is
 * still decided by the close.
 */
export const settlesAtMs = (
  window: SeatWindow<AttemptFacts>,
  timing: { readonly firstSeenAtMs: number; readonly windowMs: number; readonly graceMs: number },
): number => Math.min(window.closesAtMs, timing.firstSeenAtMs + timing.windowMs) + timing.graceMs;
