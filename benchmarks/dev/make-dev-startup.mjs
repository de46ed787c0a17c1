/**
 * Issue 15's make dev target: a second `make dev` on an unchanged tree answers in < 5 s; the first
 * takes what the builds need.
 *
 *   node benchmarks/dev/make-dev-startup.mjs
 *
 * On a throw-away clone of HEAD under /tmp (node_modules hard-linked from this tree; uncommitted
 * edits are not in it) it times `make dev` from the spawn until GET /health answers 200, each on a
 * free loopback port with one throw-away data directory beside the clone (never :8000 or .data/; kept
 * between the runs as .data/ is), and stops it by its own process group. Runs, in order: first (fresh clone: no dist/, no .nx/), unchanged (BENCH_UNCHANGED_RUNS
 * times, default 3, the median reported), touched (one backend source file's mtime moved, content the
 * same), one change (a line appended to that file). Prints a table, then one JSON line.
 */
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createThrowAwayCheckout, describeSource } from './throw-away-checkout.mjs';
import { timeMakeDev } from './timed-make-dev.mjs';

const sourceRoot = fileURLToPath(new URL('../..', import.meta.url));
const UNCHANGED_RUNS = Number(process.env.BENCH_UNCHANGED_RUNS ?? '3');
const TARGET_UNCHANGED_S = 5;
const CHANGED_FILE = join('backend', 'src', 'app.module.ts');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (value) => (value === null ? '—' : value.toFixed(1));

const printTable = (rows) => {
  console.log('| make dev run | until /health 200 (s) | of which setup/builds (s) | Nx cache hits |');
  console.log('| --- | --- | --- | --- |');
  for (const row of rows) {
    console.log(`| ${row.run} | ${seconds(row.healthyS)} | ${seconds(row.buildsDoneS)} | ${row.nxCacheHits} |`);
  }
};

const main = async () => {
  const source = describeSource(sourceRoot);
  if (source.uncommitted) console.log(`note: uncommitted edits are not measured; the clone is ${source.commit}`);
  const checkout = await createThrowAwayCheckout(sourceRoot, source.commit);
  const logPath = join(checkout.root, '..', 'make-dev.log');
  const dataDir = join(checkout.root, '..', 'data');
  const changedFile = join(checkout.root, CHANGED_FILE);
  const rows = [];
  const run = async (label) => {
    const result = { run: label, ...(await timeMakeDev(checkout.root, dataDir, logPath)) };
    rows.push(result);
    console.log(`${label}: ${seconds(result.healthyS)} s (Nx cache ${result.nxCacheHits})`);
    return result;
  };
  try {
    const first = await run('first (fresh clone)');
    const unchanged = [];
    for (let index = 1; index <= UNCHANGED_RUNS; index++) unchanged.push(await run(`unchanged #${index}`));
    const now = new Date();
    await utimes(changedFile, now, now);
    const touched = await run(`touched ${CHANGED_FILE}`);
    await writeFile(changedFile, `${await readFile(changedFile, 'utf8')}// make-dev-startup: one changed line\n`);
    const changed = await run(`one line added to ${CHANGED_FILE}`);

    const unchangedS = median(unchanged.map((row) => row.healthyS));
    console.log('');
    printTable(rows);
    console.log('');
    console.log(
      JSON.stringify({
        benchmark: 'make-dev-startup',
        commit: source.commit,
        first_s: Number(first.healthyS.toFixed(2)),
        unchanged_s: Number(unchangedS.toFixed(2)),
        unchanged_runs_s: unchanged.map((row) => Number(row.healthyS.toFixed(2))),
        touched_s: Number(touched.healthyS.toFixed(2)),
        one_change_s: Number(changed.healthyS.toFixed(2)),
        first_over_unchanged: Number((first.healthyS / unchangedS).toFixed(1)),
        target_unchanged_below_s: TARGET_UNCHANGED_S,
        target_met: unchangedS < TARGET_UNCHANGED_S,
        load_average_1m: Number(loadavg()[0].toFixed(1)),
      }),
    );
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${checkout.root}`);
    else await checkout.remove();
  }
};

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
