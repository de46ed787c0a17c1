/**
 * What does starting the embedded store cost in memory? RSS of the whole
 * process (PGlite's worker thread included) after startEmbeddedPostgres, for a
 * fresh data directory, an existing one and an in-memory store, with initdb in
 * the serving worker (before, `initdb: 'serving-worker'`) and in a throw-away
 * process (after, the default). Issue 15's target: peak < 500 MB, steady
 * < 300 MB.
 *
 *   npx tsx benchmarks/event-store/embedded-start-memory.ts
 *
 * RSS never goes back down in a process, so each case runs in a process of
 * its own (this file again, with the case as argument). Per case: RSS before
 * the start, its peak during the start (sampled every 20 ms), right after it,
 * and 2 s later (after a query); the start's wall time; and the peak RSS of
 * any child process (the throw-away initdb, from /proc's VmHWM), which the
 * machine pays for a few seconds but the app process never holds.
 * BENCH_REPEAT (default 1) runs each case that many times; the table shows the
 * median. Prints a table, then one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../backend/src/event-store/embedded/embedded-postgres';

type Initdb = 'serving-worker' | 'throw-away-process';
type Storage = 'fresh dir' | 'existing dir' | 'in memory';

interface CaseJob {
  readonly initdb: Initdb;
  readonly storage: Storage;
  readonly dataDir?: string;
}

interface CaseFigures {
  readonly rssBeforeMb: number;
  readonly rssPeakDuringStartMb: number;
  readonly rssAfterStartMb: number;
  readonly rssSettledMb: number;
  readonly startMs: number;
  readonly childPeakRssMb: number | null;
}

const CASE_FLAG = '--case=';
const SAMPLE_EVERY_MS = 20;
const SETTLE_MS = 2_000;
const REPEAT = Number(process.env['BENCH_REPEAT'] ?? '1');
const TARGETS = { peakRssMb: 500, steadyRssMb: 300 } as const;

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
const sleep = (delayMs: number) => new Promise<void>((resolve) => setTimeout(resolve, delayMs));

/** VmHWM (peak RSS) of each live child of this process, by pid. */
const childPeaksKb = async (peaks: Map<number, number>): Promise<void> => {
  const children = await readFile(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').catch(() => '');
  for (const pid of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? '0');
    peaks.set(pid, Math.max(peaks.get(pid) ?? 0, peakKb));
  }
};

/** One case, in this (fresh) process. */
const measureCase = async (job: CaseJob): Promise<CaseFigures> => {
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const childPeaks = new Map<number, number>();
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    void childPeaksKb(childPeaks);
  }, SAMPLE_EVERY_MS);
  const startedAt = Date.now();
  const store = await startEmbeddedPostgres({ dataDir: job.dataDir, initdb: job.initdb });
  const startMs = Date.now() - startedAt;
  clearInterval(sampler);
  const rssAfterStart = process.memoryUsage.rss();
  try {
    const client = new Client({ connectionString: store.connectionString });
    await client.connect();
    await client.query('create table if not exists touched (at timestamptz); insert into touched values (now())');
    await client.end();
    await sleep(SETTLE_MS);
    const childPeakKb = Math.max(0, ...childPeaks.values());
    return {
      rssBeforeMb: mb(rssBefore),
      rssPeakDuringStartMb: mb(Math.max(rssPeak, rssAfterStart)),
      rssAfterStartMb: mb(rssAfterStart),
      rssSettledMb: mb(process.memoryUsage.rss()),
      startMs,
      childPeakRssMb: childPeakKb === 0 ? null : Math.round(childPeakKb / 1024),
    };
  } finally {
    await store.close();
  }
};

/** Runs one case in a child process of its own (this file under the same loader, e.g. tsx). */
const inOwnProcess = (job: CaseJob): CaseFigures => {
  const output = execFileSync(process.execPath, [...process.execArgv, __filename, CASE_FLAG + JSON.stringify(job)], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(output.trim().split('\n').at(-1) ?? '') as CaseFigures;
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const medianFigures = (runs: readonly CaseFigures[]): CaseFigures => ({
  rssBeforeMb: median(runs.map((run) => run.rssBeforeMb)),
  rssPeakDuringStartMb: median(runs.map((run) => run.rssPeakDuringStartMb)),
  rssAfterStartMb: median(runs.map((run) => run.rssAfterStartMb)),
  rssSettledMb: median(runs.map((run) => run.rssSettledMb)),
  startMs: median(runs.map((run) => run.startMs)),
  childPeakRssMb: runs[0]!.childPeakRssMb === null ? null : median(runs.map((run) => run.childPeakRssMb ?? 0)),
});

const main = async (): Promise<void> => {
  const rows: Array<CaseJob & CaseFigures> = [];
  for (const initdb of ['serving-worker', 'throw-away-process'] as const) {
    const dirs: string[] = [];
    const byStorage = new Map<Storage, CaseFigures[]>();
    for (let round = 0; round < REPEAT; round += 1) {
      // The fresh directory's first start leaves the existing directory the next case reopens.
      const dataDir = await mkdtemp(join(tmpdir(), 'bench-start-memory-'));
      dirs.push(dataDir);
      const jobs: CaseJob[] = [
        { initdb, storage: 'fresh dir', dataDir },
        { initdb, storage: 'existing dir', dataDir },
        { initdb, storage: 'in memory' },
      ];
      for (const job of jobs) byStorage.set(job.storage, [...(byStorage.get(job.storage) ?? []), inOwnProcess(job)]);
    }
    for (const [storage, runs] of byStorage) rows.push({ initdb, storage, ...medianFigures(runs) });
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }

  const header = [
    'initdb in',
    'storage',
    'RSS before',
    'peak in start',
    'after start',
    `+${SETTLE_MS / 1000} s`,
    'start',
    'initdb process peak',
  ];
  const table = rows.map((row) => [
    row.initdb,
    row.storage,
    `${row.rssBeforeMb} MB`,
    `${row.rssPeakDuringStartMb} MB`,
    `${row.rssAfterStartMb} MB`,
    `${row.rssSettledMb} MB`,
    `${row.startMs} ms`,
    row.childPeakRssMb === null ? '-' : `${row.childPeakRssMb} MB`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...table.map((cells) => cells[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  console.log(
    `Embedded store start, RSS of the whole process (median of ${REPEAT}); targets: peak < ${TARGETS.peakRssMb} MB, steady < ${TARGETS.steadyRssMb} MB`,
  );
  console.log(line(header));
  for (const cells of table) console.log(line(cells));
  console.log(JSON.stringify({ benchmark: 'embedded-start-memory', repeat: REPEAT, targets: TARGETS, cases: rows }));
};

const caseArgument = process.argv.find((argument) => argument.startsWith(CASE_FLAG));
if (caseArgument === undefined) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  measureCase(JSON.parse(caseArgument.slice(CASE_FLAG.length)) as CaseJob)
    .then((figures) => console.log(JSON.stringify(figures)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
