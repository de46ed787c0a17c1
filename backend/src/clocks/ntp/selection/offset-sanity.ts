/**
 * Sanity checks a measured offset must pass before it may take part in
 * selection, so one lying server cannot move the lab's truth by years:
 *
 * - panic threshold (ntpd's `tinker panic`, 1000 s by default): the offset
 *   against the host clock itself. A host clock is wrong by seconds, not by
 *   an hour or a decade; a server claiming so is refused on every sync, the
 *   first included.
 * - max change (chrony's `maxchange`): once the reference holds an offset,
 *   a later measurement may differ from what the held offset predicts by at
 *   most the threshold plus the prediction's own uncertainty (which grows in
 *   holdover). A source that jumps further is refused and reported.
 */
export interface OffsetSanityLimits {
  readonly panicThresholdMs: number;
  readonly maxChangeMs: number;
}

/** What the reference holds: the offset it predicts for the measurement's instant, and how sure it is. */
export interface HeldOffset {
  readonly predictedOffsetMs: number;
  readonly uncertaintyMs: number;
}

export type OffsetRejection =
  | { readonly reason: 'panic-threshold'; readonly detail: string }
  | { readonly reason: 'max-change'; readonly detail: string };

const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

export const checkOffsetSanity = (
  offsetMs: number,
  limits: OffsetSanityLimits,
  held: HeldOffset | undefined,
): OffsetRejection | undefined => {
  if (!Number.isFinite(offsetMs) || Math.abs(offsetMs) > limits.panicThresholdMs) {
    return {
      reason: 'panic-threshold',
      detail: `offset ${seconds(offsetMs)} from the host clock is beyond the panic threshold of ${seconds(limits.panicThresholdMs)}`,
    };
  }
  if (held) {
    const change = offsetMs - held.predictedOffsetMs;
    const allowed = limits.maxChangeMs + held.uncertaintyMs;
    if (Math.abs(change) > allowed) {
      return {
        reason: 'max-change',
        detail: `offset ${seconds(offsetMs)} moves ${seconds(change)} from the held ${seconds(held.predictedOffsetMs)}, more than the allowed ${seconds(allowed)} (max change + uncertainty)`,
      };
    }
  }
  return undefined;
};
