/**
 * The tightest of a few tries at a reading that a preempted process makes
 * loose (an anchor of the sub-ms clock, a bracket of two clocks): on a loaded
 * machine one try is often caught mid-read, and the next one usually is not.
 */
export const tightestOf = <Reading>(
  read: () => Reading,
  widthOf: (reading: Reading) => number,
  { tightMs, tries }: { readonly tightMs: number; readonly tries: number },
): Reading => {
  let best = read();
  for (let attempt = 1; attempt < tries && widthOf(best) > tightMs; attempt += 1) {
    const next = read();
    if (widthOf(next) < widthOf(best)) best = next;
  }
  return best;
};
