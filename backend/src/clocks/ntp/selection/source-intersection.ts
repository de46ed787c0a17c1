/**
 * Selection of NTP sources by intersecting their intervals (RFC 5905
 * §11.2.1, Marzullo's algorithm as NTP uses it): each source claims the true
 * offset lies in its correctness interval θ ± λ (λ its root distance). Find
 * the smallest number f of falsetickers for which at least m − f intervals
 * share a common point; fewer than half may lie. The sources whose interval
 * reaches that intersection are the truechimers, the others falsetickers.
 *
 * Like ntpd since 4.2.8, and unlike the RFC's pseudo-code, the midpoints are
 * not counted: that count can refuse a majority whose intervals do share a
 * point (three honest sources at 0, 2 and 5 ms, each ± 4 ms, beside two liars).
 */
export interface IntervalCandidate {
  readonly id: string;
  readonly offsetMs: number;
  /** λ: half-width of the correctness interval, > 0. */
  readonly rootDistanceMs: number;
}

export type IntersectionResult =
  | {
      readonly kind: 'majority';
      readonly lowMs: number;
      readonly highMs: number;
      readonly truechimers: readonly string[];
      readonly falsetickers: readonly string[];
    }
  /** No point is shared by a majority of the intervals: nobody can be believed. */
  | { readonly kind: 'no-majority' };

/** −1 lower end, +1 upper end; lower ends sort first on a tie, so touching intervals intersect. */
interface Endpoint {
  readonly valueMs: number;
  readonly kind: -1 | 1;
}

const endpointsOf = (candidates: readonly IntervalCandidate[]): Endpoint[] =>
  candidates
    .flatMap((c): Endpoint[] => [
      { valueMs: c.offsetMs - c.rootDistanceMs, kind: -1 },
      { valueMs: c.offsetMs + c.rootDistanceMs, kind: 1 },
    ])
    .sort((a, b) => a.valueMs - b.valueMs || a.kind - b.kind);

/** Scans from one side; the first endpoint where `needed` intervals overlap. */
const edgeWhereOverlapReaches = (
  ordered: readonly Endpoint[],
  needed: number,
  entering: -1 | 1,
): number | undefined => {
  let overlapping = 0;
  for (const endpoint of ordered) {
    overlapping += endpoint.kind === entering ? 1 : -1;
    if (overlapping >= needed) return endpoint.valueMs;
  }
  return undefined;
};

export const intersectIntervals = (candidates: readonly IntervalCandidate[]): IntersectionResult => {
  const count = candidates.length;
  const ascending = endpointsOf(candidates);
  const descending = [...ascending].reverse();
  for (let allowedFalsetickers = 0; 2 * allowedFalsetickers < count; allowedFalsetickers += 1) {
    const needed = count - allowedFalsetickers;
    const lowMs = edgeWhereOverlapReaches(ascending, needed, -1);
    const highMs = edgeWhereOverlapReaches(descending, needed, 1);
    if (lowMs === undefined || highMs === undefined || lowMs > highMs) continue;
    const reaches = (c: IntervalCandidate): boolean =>
      c.offsetMs + c.rootDistanceMs >= lowMs && c.offsetMs - c.rootDistanceMs <= highMs;
    return {
      kind: 'majority',
      lowMs,
      highMs,
      truechimers: candidates.filter(reaches).map((c) => c.id),
      falsetickers: candidates.filter((c) => !reaches(c)).map((c) => c.id),
    };
  }
  return { kind: 'no-majority' };
};

/**
 * RFC 5905 §11.2.3 combine: the truechimers' offsets weighted by 1/λ. The
 * uncertainty is the tightest bound that holds if every truechimer is right:
 * the true offset lies in each interval, so within |θc − θi| + λi of θc for
 * every i.
 */
export const combineTruechimers = (
  truechimers: readonly IntervalCandidate[],
): { readonly offsetMs: number; readonly uncertaintyMs: number } => {
  if (truechimers.length === 0) throw new RangeError('nothing to combine');
  const weightSum = truechimers.reduce((sum, c) => sum + 1 / c.rootDistanceMs, 0);
  const offsetMs = truechimers.reduce((sum, c) => sum + c.offsetMs / c.rootDistanceMs, 0) / weightSum;
  const uncertaintyMs = Math.min(...truechimers.map((c) => Math.abs(offsetMs - c.offsetMs) + c.rootDistanceMs));
  return { offsetMs, uncertaintyMs };
};
