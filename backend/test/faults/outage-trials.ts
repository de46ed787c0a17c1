/**
 * The shared body of the database-outage fault cases: a write load, health
 * probes and one live-stream client run against a backend process while the
 * database is taken down and brought back `trials` times. Each trial asserts
 * the process is up, writes answer 503 (and only 503) while the database is
 * down, readiness fails and liveness holds, and writes succeed again by
 * themselves; the figures of each trial are returned for the report.
 */
import { Pool } from 'pg';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { readWholeLog } from '../app-harness';
import type { BackendProcess } from './backend-process';
import { openLiveStream, startHealthProbes, type LiveStreamClient, type ProbeResult } from './probes';
import { checkLedger, startWriteLoad, statusCounts, type Answer, type LedgerCheck } from './write-load';

export interface OutageFault {
  takeDown(): Promise<void>;
  bringBack(): Promise<void>;
}

export interface TrialFigures {
  readonly trial: number;
  readonly answers_while_down: Record<number, number>;
  /** From the database being back to the first acknowledged write sent after that. */
  readonly first_write_after_restart_ms: number | null;
  readonly ready_after_restart_ms: number | null;
}

export interface OutageRun {
  readonly figures: TrialFigures[];
  readonly answers: readonly Answer[];
  readonly live: LiveStreamClient;
  /** When the database came back the last time: live-stream changes after it prove the stream recovered. */
  readonly lastUpAtMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const waitFor = async (condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(50);
  }
  return false;
};

/** The process must still run; if it died, its last output says why. */
export const expectProcessUp = (backend: BackendProcess, when: string): void => {
  const exited = backend.exited();
  expect({ when, exited, output: exited ? backend.output().slice(-4000) : '' }).toEqual({
    when,
    exited: null,
    output: '',
  });
};

const firstAfter = <T extends { atMs: number }>(items: readonly T[], afterMs: number, accept: (item: T) => boolean) =>
  items.find((item) => item.atMs > afterMs && accept(item));

export const runOutageTrials = async (options: {
  readonly backend: BackendProcess;
  readonly fault: OutageFault;
  readonly trials: number;
  readonly downForMs: number;
  readonly label: string;
  readonly seats: number;
}): Promise<OutageRun> => {
  const { backend, fault } = options;
  const live = await openLiveStream(backend.baseUrl);
  const probes = startHealthProbes(backend.baseUrl, ['/health/live', '/health/ready']);
  const load = startWriteLoad({ baseUrl: backend.baseUrl, seats: options.seats, writers: 12, label: options.label });
  const { answers } = load;
  const figures: TrialFigures[] = [];
  let lastUpAtMs = 0;
  try {
    expect(await waitFor(() => answers.filter((answer) => answer.status === 201).length >= 20, 30_000)).toBe(true);
    for (let trial = 1; trial <= options.trials; trial += 1) {
      await sleep(700);
      await fault.takeDown();
      const downAt = Date.now();
      await sleep(options.downForMs);
      const stillDownAt = Date.now();
      await fault.bringBack();
      const upAt = Date.now();
      lastUpAtMs = upAt;
      expectProcessUp(backend, `trial ${trial}, database back`);

      const acknowledged = (answer: Answer) => answer.status === 201 && answer.sentAtMs > upAt;
      const ready = (probe: ProbeResult) => probe.path === '/health/ready' && probe.status === 200;
      const recovered = await waitFor(() => answers.some(acknowledged), 30_000);
      await waitFor(() => firstAfter(probes.results, upAt, ready) !== undefined, 30_000);
      // Sent after the database went down and answered before it came back: nothing can succeed.
      const whileDown = answers.filter((answer) => answer.sentAtMs >= downAt && answer.atMs <= stillDownAt);
      const probesWhileDown = probes.results.filter((probe) => probe.atMs >= downAt + 200 && probe.atMs <= stillDownAt);
      const firstWrite = answers.find(acknowledged);
      const firstReady = firstAfter(probes.results, upAt, ready);
      figures.push({
        trial,
        answers_while_down: statusCounts(whileDown),
        first_write_after_restart_ms: firstWrite ? firstWrite.atMs - upAt : null,
        ready_after_restart_ms: firstReady ? firstReady.atMs - upAt : null,
      });

      expect({ trial, recovered }).toEqual({ trial, recovered: true });
      // Refused with 503: never a 500, never a dropped connection.
      expect({ trial, statuses: Object.keys(statusCounts(whileDown)) }).toEqual({ trial, statuses: ['503'] });
      const statusesOf = (path: string) => [
        ...new Set(probesWhileDown.filter((p) => p.path === path).map((p) => p.status)),
      ];
      expect({ trial, ready: statusesOf('/health/ready'), live: statusesOf('/health/live') }).toEqual({
        trial,
        ready: [503],
        live: [200],
      });
    }
    await sleep(500);
  } finally {
    await load.stop();
    await probes.stop();
  }
  return { figures, answers, live, lastUpAtMs };
};

export interface AfterTheOutage {
  readonly ledger: LedgerCheck;
  /** Seat streams with a SeatAssigned, once per assignment: a seat assigned twice appears twice. */
  readonly assignedSeatStreams: string[];
  /** Acknowledged attempts that the read model holds. */
  readonly projectedAcknowledged: number;
}

/** Reads the log and the read model straight from the database, to hold the ledger against them. */
export const inspectAfterTheOutage = async (
  connectionString: string,
  answers: readonly Answer[],
  label: string,
): Promise<AfterTheOutage> => {
  const pool = new Pool({ connectionString, max: 2 });
  try {
    const log = await readWholeLog(new PostgresEventStore({ pool, kind: 'postgres' }));
    const acknowledgedIds = answers.filter((answer) => answer.status === 201).map((answer) => answer.attemptId);
    const projected = await pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM rm_attempts WHERE attempt_id = ANY($1::uuid[])`,
      [acknowledgedIds],
    );
    return {
      ledger: checkLedger(answers, log, label),
      assignedSeatStreams: log.filter((event) => event.type === 'SeatAssigned').map((event) => event.streamId),
      projectedAcknowledged: projected.rows[0]!.count,
    };
  } finally {
    await pool.end();
  }
};

/** The assertions every outage case ends with, after the load has stopped and the projection caught up. */
export const expectNothingLostOrDoubled = (after: AfterTheOutage): void => {
  expect(after.ledger.acknowledged).toBeGreaterThan(50);
  expect(after.ledger.lost).toEqual([]);
  expect(after.ledger.doubled).toEqual([]);
  expect(after.assignedSeatStreams.length).toBe(new Set(after.assignedSeatStreams).size);
  expect(after.projectedAcknowledged).toBe(after.ledger.acknowledged);
};

/** Resolves once /health reports the read model caught up with the log. */
export const projectionCaughtUp = (baseUrl: string, timeoutMs = 30_000): Promise<boolean> =>
  waitFor(async () => {
    const response = await fetch(`${baseUrl}/health`).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { read_model?: { caught_up?: boolean } } | null;
    return body?.read_model?.caught_up === true;
  }, timeoutMs);

/** One line of figures for the report: statuses, recovery times, the ledger's counts. */
export const reportFigures = (name: string, run: OutageRun, after: AfterTheOutage): void => {
  const { ledger } = after;
  console.log(
    `${name}: ${JSON.stringify({
      figures: run.figures,
      totals: statusCounts(run.answers),
      ledger: { ...ledger, lost: ledger.lost.length, doubled: ledger.doubled.length },
    })}`,
  );
};
