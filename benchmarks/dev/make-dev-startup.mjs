/**
 * Issue 15's make dev target: a second `make dev` on an unchanged tree answers in < 5 s; the first
 * takes what the builds need.
 *
 *   node benchmarks/dev/make-dev-startup.mjs
 *
 * On a throw-away clone of HEAD under /tmp (node_modules hard-linked from this tree; uncommitted edits
 * are not in it) it times `make dev` from the spawn until GET /health answers 200, each time on a free
 * loopback port with one throw-away data directory beside the clone (never :8000 or .data/; kept between
 * the runs as .data/ is), and stops it by its own process group. Runs, in order:
 * - first: the fresh clone (no dist/, no .nx/);
 * - unchanged, BENCH_UNCHANGED_RUNS times (default 3; the median reported), each followed by the built
 *   backend alone (`node dist/backend/main.js`, no make, no Nx), the floor make dev cannot go below,
 *   interleaved so the machine's load hits both alike;
 * - touched: one backend source file's mtime moved, its content the same;
 * - one change: a line appended to that file.
 * BENCH_COMMIT measures another commit instead of HEAD (e.g. the one before issue 15's change, for the
 * before figures on the same machine). Prints a table, then one JSON line.
 */
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKEND_MALLOC_ENV, BACKEND_NODE_FLAGS } from '../../scripts/backend-node-flags.mjs';
import { createThrowAwayCheckout, describeSource } from './throw-away-checkout.mjs';
import { timeUntilHealthy } from './time-until-healthy.mjs';

const sourceRoot = fileURLToPath(new URL('../..', import.meta.url));
const UNCHANGED_RUNS = Number(process.env.BENCH_UNCHANGED_RUNS ?? '3');
const TARGET_UNCHANGED_S = 5;
const CHANGED_FILE = join('backend', 'src', 'app.module.ts');
const MAKE_DEV = ['make', 'dev'];
const BACKEND_ALONE = [
  'env',
  ...Object.entries(BACKEND_MALLOC_ENV).map(([name, value]) => `${name}=${value}`),
  process.execPath,
  ...BACKEND_NODE_FLAGS,
  join('dist', 'backend', 'main.js'),
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const seconds = (value) => (value === null ? '—' : value.toFixed(1));
const rounded = (value) => Number(value.toFixed(2));

const printTable = (rows) => {
  console.log('| run | until /health 200 (s) | of which make setup (s) | Nx cache hits | load average (1 min) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) {
    const cells = [row.run, seconds(row.healthyS), seconds(row.buildsDoneS), row.nxCacheHits, row.load.toFixed(1)];
    console.log(`| ${cells.join(' | ')} |`);
  }
};

const main = async () => {
  const source = describeSource(sourceRoot, process.env.BENCH_COMMIT ?? 'HEAD');
  if (source.uncommitted) console.log(`note: uncommitted edits are not measured; the clone is ${source.commit}`);
  const checkout = await createThrowAwayCheckout(sourceRoot, source.commit);
  const logPath = join(checkout.root, '..', 'make-dev.log');
  const dataDir = join(checkout.root, '..', 'data');
  const changedFile = join(checkout.root, CHANGED_FILE);
  const rows = [];
  const run = async (label, command = MAKE_DEV) => {
    const load = loadavg()[0];
    const result = {
      run: label,
      load,
      ...(await timeUntilHealthy({ root: checkout.root, command, dataDir, logPath })),
    };
    rows.push(result);
    console.log(`${label}: ${seconds(result.healthyS)} s (Nx cache hits: ${result.nxCacheHits})`);
    return result;
  };
  try {
    const first = await run('first (fresh clone)');
    const unchanged = [];
    const backendAlone = [];
    for (let index = 1; index <= UNCHANGED_RUNS; index++) {
      unchanged.push(await run(`unchanged #${index}`));
      backendAlone.push(await run(`backend alone #${index}`, BACKEND_ALONE));
    }
    const now = new Date();
    await utimes(changedFile, now, now);
    const touched = await run(`touched ${CHANGED_FILE}`);
    await writeFile(changedFile, `${await readFile(changedFile, 'utf8')}// make-dev-startup: one changed line\n`);
    const changed = await run(`one line added to ${CHANGED_FILE}`);

    const unchangedS = median(unchanged.map((row) => row.healthyS));
    const backendAloneS = median(backendAlone.map((row) => row.healthyS));
    console.log('');
    printTable(rows);
    console.log('');
    console.log(
      JSON.stringify({
        benchmark: 'make-dev-startup',
        commit: source.commit,
        first_s: rounded(first.healthyS),
        unchanged_s: rounded(unchangedS),
        unchanged_runs_s: unchanged.map((row) => rounded(row.healthyS)),
        touched_s: rounded(touched.healthyS),
        one_change_s: rounded(changed.healthyS),
        backend_alone_s: rounded(backendAloneS),
        make_dev_overhead_unchanged_s: rounded(unchangedS - backendAloneS),
        first_over_unchanged: Number((first.healthyS / unchangedS).toFixed(1)),
        target_unchanged_below_s: TARGET_UNCHANGED_S,
        target_met: unchangedS < TARGET_UNCHANGED_S,
        load_average_1m: rows.map((row) => Number(row.load.toFixed(1))),
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
