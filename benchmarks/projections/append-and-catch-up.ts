/**
 * (a) Sustained append rate of ReservationAttempted events (one append per
 * attempt, a few concurrent writers, projection stopped) versus the rate at
 * which the projection catches up over the same log. Target: ratio ≥ 10.
 */
import type { BenchTarget } from './bench-databases';
import { appendOneByOne, withFixture } from './bench-fixture';
import { round } from './measure';
import { liveLabLog } from './seeded-workload';

export interface AppendAndCatchUpResult {
  readonly target: string;
  readonly events: number;
  readonly writers: number;
  readonly appendPerSecond: number;
  readonly catchUpPerSecond: number;
  readonly ratio: number;
}

export const measureAppendAndCatchUp = (
  target: BenchTarget,
  events = 20_000,
  writers = 4,
): Promise<AppendAndCatchUpResult> =>
  withFixture(target, async (fixture) => {
    const appendPerSecond = await appendOneByOne(fixture.store, liveLabLog(events), writers);
    const started = performance.now();
    const projected = await fixture.runner.catchUp();
    const catchUpPerSecond = projected / ((performance.now() - started) / 1000);
    return {
      target: target.name,
      events,
      writers,
      appendPerSecond: round(appendPerSecond, 0),
      catchUpPerSecond: round(catchUpPerSecond, 0),
      ratio: round(catchUpPerSecond / appendPerSecond, 1),
    };
  });
