/**
 * (c) Rebuild of BENCH_EVENTS (default 100,000; issue 15 asks 200,000) events
 * from position 0: time, events/s, CPU seconds of the whole process (PGlite's
 * worker thread included: a figure less sensitive to a shared host's load than
 * the wall clock) and peak RSS (the whole process; run node with --expose-gc
 * so the generated log is collected before the measurement starts). Two logs: scenario runs
 * (attempts, assignments, revocations; seats per run) and the live lab's
 * worst case (every attempt on the same 100 seats, ~1,000 per seat).
 * Target: < 10 s.
 */
import { loadavg } from 'node:os';
import type { BenchTarget } from './bench-databases';
import { appendInChunks, withFixture } from './bench-fixture';
import { megabytes, round, sampleRss } from './measure';
import { liveLabLog, scenarioLog, type WorkloadEvent } from './seeded-workload';

export interface RebuildResult {
  readonly target: string;
  readonly log: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly cpuSeconds: number;
  readonly loadAverage: number;
  readonly rssBeforeMb: number;
  readonly peakRssMb: number;
}

export const REBUILD_LOGS: Record<string, (events: number) => WorkloadEvent[]> = {
  'scenario runs': (events) => scenarioLog(events),
  'live lab, 100 hot seats': (events) => liveLabLog(events),
};

export const measureRebuild = (target: BenchTarget, logName: string, events = 100_000): Promise<RebuildResult> =>
  withFixture(target, async (fixture) => {
    await appendInChunks(fixture.store, REBUILD_LOGS[logName]!(events));
    global.gc?.();
    const rssBefore = process.memoryUsage.rss();
    const rss = sampleRss();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const rebuilt = await fixture.runner.rebuild();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const peak = rss.stop();
    if (rebuilt !== events) throw new Error(`rebuild applied ${rebuilt} events, expected ${events}`);
    return {
      target: target.name,
      log: logName,
      events,
      seconds: round(seconds, 2),
      eventsPerSecond: round(events / seconds, 0),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
      loadAverage: round(loadavg()[0]!, 1),
      rssBeforeMb: megabytes(rssBefore),
      peakRssMb: megabytes(peak),
    };
  });
