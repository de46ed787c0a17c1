/**
 * Issue 13.4 through the running app: one client cannot exhaust memory with
 * seeded runs, and runs survive a restart.
 *
 * - a run above RUN_MAX_ATTEMPTS → 400 naming the cap, nothing appended;
 * - the POST answers before the run is done (nothing is generated in it);
 * - RUN_QUEUE_MAX runs queued or running → the next gets 429 with Retry-After;
 * - runs queued over a restart are resumed, or reported failed with a reason;
 * - a run all in the log but not projected when its process stopped is not
 *   reported completed (its figures would be partial) until the read model
 *   holds it, and is then finished by the next start;
 * - a run stopped midway (the app closed after N attempt chunks) resumes on
 *   the next start, appends only what is missing, and ends with the same
 *   events (ids, order, data) and the same read model as an uninterrupted run
 *   of the same seed.
 *
 * The restart cases run on PGlite with a data directory and, when
 * TEST_DATABASE_URL is set, on a PostgreSQL server.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '../../src/event-store/event-store.port';
import type { ProjectionRunner } from '../../src/read-model/projection-runner';
import { PROJECTION_RUNNER } from '../../src/reservations/application/tokens';
import { SimulationRunsService } from '../../src/simulation-runs/application/simulation-runs.service';
import { executePlan } from '../../src/simulation-runs/application/run-executor';
import {
  GENERATOR_VERSION,
  materialisePlan,
  parseRunParameters,
  planRun,
  runIdFor,
  runStreamId,
  RUN_QUEUE_STREAM,
  type RunRequest,
} from '../../src/simulation-runs/domain';
import type { RunResponse } from '../../src/simulation-runs/http/run.responses';
import { openThrowawayDatabase, type TestDatabase } from '../../src/testing/test-databases';
import { postJson, readWholeLog, startTestApp, type RunningApp } from '../app-harness';

const SERVER_URL = process.env['TEST_DATABASE_URL'];
if (!SERVER_URL) console.warn('TEST_DATABASE_URL is not set: the seeded-run restart cases run on PGlite only.');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const getRun = async (app: RunningApp, runId: string): Promise<RunResponse> =>
  (await (await fetch(`${app.baseUrl}/api/simulation/runs/${runId}`)).json()) as RunResponse;

const waitForRun = async (app: RunningApp, runId: string, timeoutMs = 240_000): Promise<RunResponse> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun(app, runId);
    if (run.status !== 'queued' && run.status !== 'running') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status} (${run.appended_attempts} attempts)`);
    await sleep(100);
  }
};

const postRun = async (app: RunningApp, body: Record<string, unknown>) => {
  const response = await postJson(app.baseUrl, '/api/simulation/runs', body, app.operatorHeaders);
  return { response, run: (await response.json()) as RunResponse & { message?: string } };
};

/** The run's events in log order (its queue entries included), as one digest. */
const runDigest = async (app: RunningApp, runId: string) => {
  const events = (await readWholeLog(app.store))
    .filter((event) => event.data['runId'] === runId)
    .map((event) => ({ id: event.id, type: event.type, streamId: event.streamId, data: event.data }));
  return { count: events.length, digest: createHash('sha256').update(JSON.stringify(events)).digest('hex') };
};

/** What the store keeps of a domain value: its JSON. */
const asJson = (value: object): JsonObject => JSON.parse(JSON.stringify(value)) as JsonObject;

const runBody = (seed: number, seats = 1500) => ({
  scenario: 'major_drift',
  seed,
  seats,
  attempts_per_seat: 4,
  spread_ms: 1500,
});

describe('seeded runs: caps and queue (PGlite in memory)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startTestApp({ RUN_MAX_ATTEMPTS: '5000', RUN_QUEUE_MAX: '2' });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('refuses a run above RUN_MAX_ATTEMPTS with 400 naming the cap, and appends nothing', async () => {
    const before = (await readWholeLog(app.store)).length;
    const { response, run } = await postRun(app, { ...runBody(1), seats: 1251 });
    expect(response.status).toBe(400);
    expect(JSON.stringify(run.message)).toMatch(/at most 5000 attempts \(RUN_MAX_ATTEMPTS\)/);
    expect((await readWholeLog(app.store)).length).toBe(before);
  });

  it('answers 429 with Retry-After once RUN_QUEUE_MAX runs are queued or running, then takes runs again', async () => {
    const first = await postRun(app, runBody(2, 1250));
    const second = await postRun(app, runBody(3, 1250));
    expect([first.response.status, second.response.status]).toEqual([202, 202]);
    const third = await postRun(app, runBody(4, 1250));
    expect(third.response.status).toBe(429);
    expect(Number(third.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.stringify(third.run.message)).toMatch(/queue is full \(2 runs queued or running, RUN_QUEUE_MAX\)/);
    // The same run again is not a new one: it answers with the queued run, not 429.
    const again = await postRun(app, runBody(3, 1250));
    expect(again.response.status).toBe(202);
    expect(again.run.id).toBe(second.run.id);
    expect((await waitForRun(app, first.run.id)).status).toBe('completed');
    expect((await waitForRun(app, second.run.id)).status).toBe('completed');
    const later = await postRun(app, runBody(4, 1250));
    expect(later.response.status).toBe(202);
    expect((await waitForRun(app, later.run.id)).report!.read_model_matches_run).toBe(true);
  }, 300_000);

  it('takes the same run posted twice at once as one request, executed once', async () => {
    const chunksAppended: string[] = [];
    app.app.get(SimulationRunsService).executionHooks = {
      afterAttemptChunk: (runId, chunks) => chunksAppended.push(`${runId}#${chunks}`),
    };
    const [one, two] = await Promise.all([postRun(app, runBody(6, 100)), postRun(app, runBody(6, 100))]);
    expect([one.response.status, two.response.status]).toEqual([202, 202]);
    expect(two.run.id).toBe(one.run.id);
    expect((await waitForRun(app, one.run.id)).status).toBe('completed');
    const queue = await app.store.readStream('simulation-run-queue');
    const mine = queue.filter((event) => event.data['runId'] === one.run.id).map((event) => event.type);
    expect(mine).toEqual(['ScenarioRunRequested', 'ScenarioRunFinished']);
    // Each chunk appended once (a second execution would append, and report, them again).
    expect(chunksAppended.length).toBeGreaterThan(0);
    expect(new Set(chunksAppended).size).toBe(chunksAppended.length);
  }, 120_000);
});

describe('seeded runs: the POST does not build the run', () => {
  it('answers 202 queued for a 100,000-attempt run before any of it is in the log', async () => {
    const app = await startTestApp();
    try {
      const { response, run } = await postRun(app, { ...runBody(5), seats: 20_000, attempts_per_seat: 5 });
      expect(response.status).toBe(202);
      // Queued, or just picked up by the idle worker: either way not generated in the request.
      expect(['queued', 'running']).toContain(run.status);
      expect(run.total_attempts).toBe(100_000);
      expect(run.appended_attempts).toBe(0);
      const now = await getRun(app, run.id);
      expect(['queued', 'running']).toContain(now.status);
      expect(now.appended_attempts).toBeLessThan(100_000);
      const completed = (await app.store.readStream(`run-${run.id}`)).filter(
        (event) => event.type === 'ScenarioRunCompleted',
      );
      expect(completed).toHaveLength(0);
    } finally {
      // Closing stops the run between two appends (it would resume on the next start).
      await app.close();
    }
  }, 120_000);
});

const restartTargets = [
  { name: 'PGlite with a data directory', onServer: false },
  ...(SERVER_URL ? [{ name: 'PostgreSQL', onServer: true }] : []),
];

describe.each(restartTargets)('seeded runs over a restart on $name', ({ onServer }) => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let app: RunningApp | undefined;
  const store = (): Record<string, string> =>
    database ? { DATABASE_URL: database.connectionString } : { PGLITE_DATA_DIR: dataDir };
  const start = async (settings: Record<string, string> = {}) => {
    app = await startTestApp({ ...store(), ...settings });
    return app;
  };
  const stop = async () => {
    await app?.close();
    app = undefined;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ntp-lab-runs-'));
    database = onServer ? await openThrowawayDatabase(SERVER_URL!, 'lab_runs') : undefined;
  });
  afterAll(async () => {
    await stop();
    await database?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes a run stopped midway: only the missing events are appended, the log and read model equal an uninterrupted run', async () => {
    const first = await start();
    let stopping: Promise<void> | undefined;
    let appendedAtStop = 0;
    first.app.get(SimulationRunsService).executionHooks = {
      afterAttemptChunk: (_runId, chunks, appended) => {
        if (chunks !== 3 || stopping) return;
        appendedAtStop = appended;
        stopping = first.close();
      },
    };
    const { response, run } = await postRun(first, runBody(21));
    expect(response.status).toBe(202);
    for (let waited = 0; !stopping && waited < 120_000; waited += 50) await sleep(50);
    expect(stopping).toBeDefined();
    await stopping;
    app = undefined;

    expect(appendedAtStop).toBeGreaterThan(0);
    expect(appendedAtStop).toBeLessThan(6000);

    // The next start resumes it by itself; its status counts what the log holds (not 0).
    const second = await start();
    const resumed = await getRun(second, run.id);
    expect(resumed.appended_attempts).toBeGreaterThanOrEqual(appendedAtStop);
    const done = await waitForRun(second, run.id);
    expect(done.status).toBe('completed');
    expect(done.appended_attempts).toBe(6000);
    expect(done.report!.read_model_matches_run).toBe(true);
    expect(done.report!.settled_seats).toBe(1500);

    const reference = await startTestApp();
    try {
      const { run: uninterrupted } = await postRun(reference, runBody(21));
      const expected = await waitForRun(reference, uninterrupted.id);
      expect(uninterrupted.id).toBe(run.id);
      expect(done.report).toEqual(expected.report);
      expect(await runDigest(second, run.id)).toEqual(await runDigest(reference, run.id));
    } finally {
      await reference.close();
    }
    // Asking again changes nothing.
    const before = (await readWholeLog(second.store)).length;
    expect((await postRun(second, runBody(21))).run.status).toBe('completed');
    expect((await readWholeLog(second.store)).length).toBe(before);
    await stop();
  }, 400_000);

  it('a run appended whole but not projected before the stop is reported completed only once the read model holds it', async () => {
    const first = await start();
    // The projection stops: the run appends all of its events, then waits for a read model that never comes.
    await first.app.get<ProjectionRunner>(PROJECTION_RUNNER).stop();
    const { run } = await postRun(first, runBody(41, 600));
    for (let waited = 0; waited < 120_000; waited += 50) {
      const events = await first.store.readStream(`run-${run.id}`);
      if (events.some((event) => event.type === 'ScenarioRunCompleted')) break;
      await sleep(50);
    }
    expect((await getRun(first, run.id)).status).toBe('running');
    await stop();

    const second = await start();
    const seen = await getRun(second, run.id);
    if (seen.status === 'completed') expect(seen.report!.read_model_matches_run).toBe(true);
    else expect(['queued', 'running']).toContain(seen.status);
    const done = await waitForRun(second, run.id);
    expect(done.status).toBe('completed');
    expect(done.appended_attempts).toBe(2400);
    expect(done.report!.attempts).toBe(2400);
    expect(done.report!.read_model_matches_run).toBe(true);
    await stop();
  }, 300_000);

  it('does not finish a run another generator version started: failed with the reason, 409 on resume, a re-post runs anew', async () => {
    const first = await start();
    const olderVersion = GENERATOR_VERSION - 1;
    /** Appends what an older build's log holds of a run: its request, its start (by the older generator), then `steps`. */
    const appendOlderRun = async (request: RunRequest, steps: number | 'all') => {
      const parameters = parseRunParameters(request, { conflictWindowMs: 2000, servers: 5 });
      const runId = runIdFor(parameters, olderVersion);
      const plan = materialisePlan(runId, parameters);
      await first.store.append(RUN_QUEUE_STREAM, [
        { id: randomUUID(), type: 'ScenarioRunRequested', data: asJson({ runId, parameters }) },
      ]);
      const started = { ...plan.started.event.data, generatorVersion: olderVersion };
      await first.store.append(runStreamId(runId), [
        { id: plan.started.id, type: plan.started.event.type, data: asJson(started) },
      ]);
      for (const step of plan.steps.slice(0, steps === 'all' ? undefined : steps)) {
        await first.store.append(
          step.streamId,
          step.events.map(({ id, event }) => ({ id, type: event.type, data: asJson(event.data) })),
          { expectedRevision: step.expectedRevision === 'no_stream' ? 'no_stream' : BigInt(step.expectedRevision) },
        );
      }
      if (steps === 'all') {
        const { id, event } = plan.completed;
        await first.store.append(runStreamId(runId), [{ id, type: event.type, data: asJson(event.data) }]);
      }
      return { runId, parameters };
    };
    // Given one run an older build started and stopped after its first chunk, and one it appended whole but
    // did not project (this process projects nothing: the next start finds the whole run in phase projecting,
    // unless its projection catches up first)
    await first.app.get<ProjectionRunner>(PROJECTION_RUNNER).stop();
    const midway = await appendOlderRun(runBody(51, 100), 1);
    const whole = await appendOlderRun(runBody(52, 50), 'all');
    const streamsOf = async (app: RunningApp, runId: string) =>
      (await readWholeLog(app.store)).filter(
        (event) => event.data['runId'] === runId && event.streamId !== RUN_QUEUE_STREAM,
      );
    const midwayEvents = (await streamsOf(first, midway.runId)).length;
    const refusal = new RegExp(
      `started by generator version ${olderVersion} and this build generates version ${GENERATOR_VERSION}`,
    );

    // When the midway run is asked about, resumed by id, re-posted under its id, and executed by this build
    const seen = await getRun(first, midway.runId);
    const resume = await postJson(
      first.baseUrl,
      `/api/simulation/runs/${midway.runId}/resume`,
      {},
      first.operatorHeaders,
    );
    const repost = await postRun(first, { ...runBody(51, 100), run_id: midway.runId });
    const startedBy: number[] = [];
    const executed = executePlan(first.store, planRun(midway.runId, midway.parameters), {
      onProgress: () => undefined,
      onStarted: (version) => startedBy.push(version),
    });

    // Then it is failed with the reason, both requests are 409s saying so, the executor refuses, nothing is appended
    expect(seen.status).toBe('failed');
    expect(seen.error).toMatch(refusal);
    expect(seen.generator_version).toBe(olderVersion);
    expect(resume.status).toBe(409);
    expect(((await resume.json()) as { message: string }).message).toMatch(refusal);
    expect(repost.response.status).toBe(409);
    expect(repost.run.message).toMatch(refusal);
    await expect(executed).rejects.toThrow(refusal);
    expect(startedBy).toEqual([]);
    expect(await streamsOf(first, midway.runId)).toHaveLength(midwayEvents);
    await stop();

    // And a starting process takes the midway run out of the queue as failed, saying why, and the whole one
    // as completed (it needs only the projection), appending nothing to either run
    const second = await start();
    const finishedOf = async (runId: string) =>
      (await second.store.readStream(RUN_QUEUE_STREAM))
        .filter((event) => event.type === 'ScenarioRunFinished' && event.data['runId'] === runId)
        .map((event) => [event.data['outcome'], event.data['reason']]);
    expect(await finishedOf(midway.runId)).toEqual([['failed', expect.stringMatching(refusal)]]);
    expect(await finishedOf(whole.runId)).toEqual([['completed', null]]);
    expect(await streamsOf(second, midway.runId)).toHaveLength(midwayEvents);
    const wholeDone = await waitForRun(second, whole.runId);
    expect(wholeDone.status).toBe('completed');
    expect(wholeDone.report!.attempts).toBe(200);
    // While the midway run's parameters posted again run under this version's own id, to completion
    const { run: anew } = await postRun(second, runBody(51, 100));
    expect(anew.id).not.toBe(midway.runId);
    const done = await waitForRun(second, anew.id);
    expect(done.status).toBe('completed');
    expect(done.report!.read_model_matches_run).toBe(true);
    await stop();
  }, 300_000);

  it('resumes runs queued over a restart, or reports them failed with a reason; a failed run can be resumed', async () => {
    const first = await start({ RUN_QUEUE_MAX: '3' });
    let stopping: Promise<void> | undefined;
    let allPosted = false;
    first.app.get(SimulationRunsService).executionHooks = {
      afterAttemptChunk: () => {
        if (allPosted) stopping ??= first.close();
      },
    };
    // Executing (stopped midway below), queued behind it, and one the next process will refuse.
    const midway = await postRun(first, runBody(31, 700));
    const queued = await postRun(first, runBody(32, 500));
    const big = await postRun(first, runBody(33, 1500));
    allPosted = true;
    expect([midway.response.status, queued.response.status, big.response.status]).toEqual([202, 202, 202]);
    for (let waited = 0; !stopping && waited < 120_000; waited += 50) await sleep(50);
    await stopping;
    app = undefined;

    // This process caps runs lower than the one that accepted them: the big one is reported failed.
    const second = await start({ RUN_MAX_ATTEMPTS: '3000' });
    const midwayDone = await waitForRun(second, midway.run.id);
    const queuedDone = await waitForRun(second, queued.run.id);
    expect(midwayDone.status).toBe('completed');
    expect(midwayDone.report!.read_model_matches_run).toBe(true);
    expect(queuedDone.status).toBe('completed');
    expect(queuedDone.report!.read_model_matches_run).toBe(true);
    const refused = await getRun(second, big.run.id);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/6000 attempts, above RUN_MAX_ATTEMPTS=3000/);
    await stop();

    // A failed run is not retried by itself; resuming it by id finishes it.
    const third = await start();
    expect((await getRun(third, big.run.id)).status).toBe('failed');
    const resume = await postJson(
      third.baseUrl,
      `/api/simulation/runs/${big.run.id}/resume`,
      {},
      third.operatorHeaders,
    );
    expect(resume.status).toBe(202);
    const bigDone = await waitForRun(third, big.run.id);
    expect(bigDone.status).toBe('completed');
    expect(bigDone.report!.read_model_matches_run).toBe(true);
    expect((await postJson(third.baseUrl, '/api/simulation/runs/nope/resume', {}, third.operatorHeaders)).status).toBe(
      404,
    );
    await stop();
  }, 400_000);
});
