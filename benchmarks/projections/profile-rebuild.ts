/**
 * Where a rebuild's time goes: one log, one target, statement timings by kind.
 *   BENCH_EVENTS=200000 BENCH_LOG='scenario runs' BENCH_TARGET=pglite npx tsx benchmarks/projections/profile-rebuild.ts
 */
import { EntityManager } from 'typeorm';
import { benchTargets } from './bench-databases';
import { appendInChunks, withFixture } from './bench-fixture';
import { REBUILD_LOGS } from './rebuild';
import { megabytes, sampleRss } from './measure';

const events = Number(process.env['BENCH_EVENTS'] ?? '200000');
const logName = process.env['BENCH_LOG'] ?? 'scenario runs';
const targetName = process.env['BENCH_TARGET'] ?? 'pglite';

const timings = new Map<string, { count: number; ms: number }>();
const record = (key: string, ms: number) => {
  const entry = timings.get(key) ?? { count: 0, ms: 0 };
  entry.count += 1;
  entry.ms += ms;
  timings.set(key, entry);
};
const original = EntityManager.prototype.query;
EntityManager.prototype.query = async function (this: EntityManager, sql: string, parameters?: unknown[]) {
  const started = performance.now();
  try {
    return await original.call(this, sql, parameters);
  } finally {
    record(sql.replace(/\s+/g, ' ').trim().slice(0, 70), performance.now() - started);
  }
} as typeof original;

const main = async () => {
  const target = benchTargets().find((candidate) => candidate.name === targetName)!;
  await withFixture(target, async (fixture) => {
    await appendInChunks(fixture.store, REBUILD_LOGS[logName]!(events));
    const readAll = fixture.store.readAll.bind(fixture.store);
    fixture.store.readAll = async (options) => {
      const started = performance.now();
      try {
        return await readAll(options);
      } finally {
        record('store.readAll', performance.now() - started);
        if (process.env['BENCH_TRACE_READS']) process.stdout.write(`${(performance.now() - started).toFixed(0)} `);
      }
    };
    timings.clear();
    const rss = sampleRss();
    const rssBefore = process.memoryUsage.rss();
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const batch = process.env['BENCH_REBUILD_BATCH'];
    const runner = batch ? fixture.newRunner(undefined, { rebuildBatchSize: Number(batch) }) : fixture.runner;
    const rebuilt = await runner.rebuild();
    const seconds = (performance.now() - started) / 1000;
    const peak = rss.stop();
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `${target.name} ${logName}: ${rebuilt} events in ${seconds.toFixed(2)} s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, load ${(await import('node:os')).loadavg()[0].toFixed(1)}); rss ${megabytes(rssBefore)} → peak ${megabytes(peak)} MB`,
    );
    const rows = [...timings.entries()].sort((a, b) => b[1].ms - a[1].ms);
    for (const [key, { count, ms }] of rows)
      console.log(`${ms.toFixed(0).padStart(7)} ms ${String(count).padStart(6)}×  ${key}`);
    console.log(
      await fixture.query(`SELECT name, setting FROM pg_settings
        WHERE name IN ('wal_level','fsync','synchronous_commit','full_page_writes','shared_buffers','wal_buffers','max_wal_size','checkpoint_timeout','work_mem')`),
    );
    console.log(
      await fixture.query(`SELECT relname, pg_total_relation_size(c.oid) AS bytes, reltuples FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relkind IN ('r','i') ORDER BY 2 DESC LIMIT 15`),
    );
    console.log(
      await fixture.query(
        `SELECT avg(pg_column_size(analysis))::int AS analysis, avg(length(analysis::text))::int AS analysis_text, count(*) FROM rm_seats`,
      ),
      await fixture.query(
        `SELECT avg(pg_column_size(witness))::int AS witness, avg(length(witness::text))::int AS witness_text, count(*) FROM rm_conflicts`,
      ),
      await fixture.query(`SELECT avg(pg_column_size(a.*))::int AS attempt_row, count(*) FROM rm_attempts a`),
    );
  });
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
