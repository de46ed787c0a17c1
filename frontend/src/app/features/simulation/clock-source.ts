import type { ServerClockConfig } from '../../core/api/api-types';

/** Where the clocks now come from, for an honest scenario picker. */
export type ClockSource =
  | { kind: 'scenario'; scenario: string; seed: number | null }
  | { kind: 'edited'; since: string | null }
  | { kind: 'unknown' };

/**
 * One scenario (and seed) for every clock, or hand edits on top of whatever
 * was there: after an edit the picker must not claim "none – No skew" while
 * the clocks are 23 s apart.
 */
export function clockSourceOf(clocks: readonly ServerClockConfig[]): ClockSource {
  if (clocks.length === 0) return { kind: 'unknown' };
  const scenarios = new Set(clocks.map((clock) => (clock.source === 'scenario' ? clock.scenario : null)));
  const seeds = new Set(clocks.map((clock) => clock.seed));
  const [only] = scenarios;
  if (scenarios.size === 1 && only) {
    const [seed] = seeds;
    return { kind: 'scenario', scenario: only, seed: seeds.size === 1 ? (seed ?? null) : null };
  }
  const earlier = clocks.find((clock) => clock.scenario)?.scenario ?? null;
  return { kind: 'edited', since: earlier };
}
