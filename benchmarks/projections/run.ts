/**
 * Read-side benchmarks: projection catch-up vs append rate, live append →
 * visible latency, and a 100,000-event rebuild.
 *
 *   npx tsx benchmarks/projections/run.ts            # everything
 *   npx tsx benchmarks/projections/run.ts rebuild    # or: catch-up | latency | rebuild
 *   BENCH_EVENTS=200000 node --expose-gc --import tsx benchmarks/projections/run.ts rebuild   # issue 15
 *
 * Embedded PGlite (temp data directory, as the app runs by default) always;
 * PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set.
 * BENCH_EVENTS (default 100000) sets the rebuild size. Prints tables, then one JSON line.
 */
import { measureAppendAndCatchUp, type AppendAndCatchUpResult } from './append-and-catch-up';
import { benchTargets } from './bench-databases';
import { measureLiveLatency, type LiveLatencyResult } from './live-latency';
import { printTable } from './measure';
import { measureRebuild, REBUILD_LOGS, type RebuildResult } from './rebuild';

const TARGETS = { catchUpRatio: 10, p99LatencyMs: 50, rebuildSeconds: 10 } as const;

const main = async (): Promise<void> => {
  const only = process.argv[2];
  const rebuildEvents = Number(process.env['BENCH_EVENTS'] ?? '100000');
  const catchUp: AppendAndCatchUpResult[] = [];
  const latency: LiveLatencyResult[] = [];
  const rebuild: RebuildResult[] = [];
  for (const target of benchTargets()) {
    if (!only || only === 'catch-up') catchUp.push(await measureAppendAndCatchUp(target));
    if (!only || only === 'latency') latency.push(await measureLiveLatency(target));
    if (!only || only === 'rebuild') {
      for (const log of Object.keys(REBUILD_LOGS)) rebuild.push(await measureRebuild(target, log, rebuildEvents));
    }
  }
  printTable(
    `(a) append rate vs projection catch-up (target ratio ≥ ${TARGETS.catchUpRatio})`,
    catchUp.map((row) => ({ ...row, met: row.ratio >= TARGETS.catchUpRatio ? 'yes' : 'NO' })),
  );
  printTable(
    `(b) append → visible in the read model, live runner (target p99 < ${TARGETS.p99LatencyMs} ms on PGlite)`,
    latency.map((row) => ({ ...row, met: row.p99Ms < TARGETS.p99LatencyMs ? 'yes' : 'NO' })),
  );
  printTable(
    `(c) rebuild from position 0 (target < ${TARGETS.rebuildSeconds} s for ${rebuildEvents.toLocaleString('en')} events)`,
    rebuild.map((row) => ({ ...row, met: row.seconds < TARGETS.rebuildSeconds ? 'yes' : 'NO' })),
  );
  console.log(JSON.stringify({ benchmark: 'projections', targets: TARGETS, catchUp, latency, rebuild }));
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
