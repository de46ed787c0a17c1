/** Seeded scenario runs through the real app (embedded PGlite): determinism, report vs read model, replay. */
import { createHash } from 'node:crypto';
import { postJson, readWholeLog, startTestApp, type RunningApp } from '../../test/app-harness';
import { GENERATOR_VERSION } from './domain/run-identity';
import type { RunResponse } from './http/run.responses';

/** Loosely typed JSON for assertions on other modules' responses. */
interface Loose {
  readonly [key: string]: Loose & number & string;
}
const getJson = async <T = Loose>(url: string): Promise<T> => (await fetch(url)).json() as Promise<T>;

const runOf = async (app: RunningApp, body: Record<string, unknown>): Promise<RunResponse> => {
  const response = await postJson(app.baseUrl, '/api/simulation/runs', body, app.operatorHeaders);
  expect(response.status).toBe(202);
  const started = (await response.json()) as RunResponse;
  for (let polls = 0; polls < 600; polls += 1) {
    const run = await getJson<RunResponse>(`${app.baseUrl}/api/simulation/runs/${started.id}`);
    if (run.status !== 'running' && run.status !== 'queued') return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${started.id} did not finish`);
};

const eventsOfRun = async (app: RunningApp, runId: string) =>
  (await readWholeLog(app.store))
    .filter((event) => event.data['runId'] === runId)
    .map((event) => ({ id: event.id, type: event.type, streamId: event.streamId, data: event.data }));

const digest = (events: unknown[]): string => createHash('sha256').update(JSON.stringify(events)).digest('hex');

const base = { scenario: 'major_drift', seed: 7, seats: 60, attempts_per_seat: 4, spread_ms: 1500 };

describe('scenario runs (e2e)', () => {
  let app: RunningApp;
  let other: RunningApp;

  beforeAll(async () => {
    [app, other] = await Promise.all([startTestApp(), startTestApp()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([app?.close(), other?.close()]);
  });

  it('reports counts equal to the read model, with the worst inversion as witness', async () => {
    const run = await runOf(app, base);
    expect(run.status).toBe('completed');
    // Made by this build's generator, and the answer says which.
    expect(run.generator_version).toBe(GENERATOR_VERSION);
    const report = run.report!;
    expect(report.attempts).toBe(240);
    expect(report.settled_seats).toBe(60);
    expect(report.read_model_matches_run).toBe(true);
    const stats = await getJson(`${app.baseUrl}/api/stats?run_id=${run.id}`);
    expect(stats.conflicts).toEqual(report.conflicts);
    expect(stats.accuracy).toEqual(report.accuracy);
    const inversions = await getJson(`${app.baseUrl}/api/conflicts?run_id=${run.id}&kind=inversion&limit=1`);
    expect(inversions.total).toBe(report.conflicts.inversion);
    expect(report.conflicts.inversion).toBeGreaterThan(0);
    expect(report.worst_inversion!.gap_ms).toBeGreaterThan(0);
    const witness = await fetch(`${app.baseUrl}/api/conflicts/${report.worst_inversion!.conflict_id}`);
    expect(witness.status).toBe(200);
  });

  it("opens a run's seat timeline with run_id (the console's drill-down), seats past MAX_SEATS included", async () => {
    const run = await runOf(app, { ...base, seats: 120, seed: 8 });
    const [inversion] = (await getJson(`${app.baseUrl}/api/conflicts?run_id=${run.id}&kind=inversion&limit=1`))
      .items as unknown as { seat_id: number }[];
    const timeline = await getJson(`${app.baseUrl}/api/seats/${inversion!.seat_id}/timeline?run_id=${run.id}`);
    expect(timeline.kinds).toContain('inversion');
    const beyondLiveSeats = await fetch(`${app.baseUrl}/api/seats/120/timeline?run_id=${run.id}`);
    expect(beyondLiveSeats.status).toBe(200);
    expect((await fetch(`${app.baseUrl}/api/seats/120/timeline`)).status).toBe(404);
  });

  it('appends the same events (ids, streams, data) on another store for the same seed, others for another seed', async () => {
    const first = await runOf(app, base);
    const again = await runOf(other, base);
    expect(again.id).toBe(first.id);
    const [mine, theirs] = await Promise.all([eventsOfRun(app, first.id), eventsOfRun(other, again.id)]);
    // 240 attempts, 60 assignments, the revocations, the two run events.
    expect(mine.length).toBeGreaterThanOrEqual(240 + 60 + 2);
    // Same order in the log, same ids, same streams, same data: compared as one digest (the log is long).
    expect(digest(theirs)).toBe(digest(mine));
    expect(again.report).toEqual(first.report);
    const reseeded = await runOf(other, { ...base, seed: 8 });
    expect(reseeded.id).not.toBe(first.id);
    const reseededEvents = await eventsOfRun(other, reseeded.id);
    expect(digest(reseededEvents.map((event) => event.data))).not.toBe(digest(mine.map((event) => event.data)));
  });

  it('does not append a run twice: the same parameters return the existing run', async () => {
    const before = (await readWholeLog(app.store)).length;
    const run = await runOf(app, base);
    expect(run.status).toBe('completed');
    expect((await readWholeLog(app.store)).length).toBe(before);
  });

  it('zero skew with symmetric delays: server_clock and ntp_corrected are both always right', async () => {
    const run = await runOf(app, { ...base, scenario: 'synchronized' });
    expect(run.report!.contended_seats).toBeGreaterThan(40);
    expect(run.report!.accuracy.server_clock).toBe(1);
    expect(run.report!.accuracy.ntp_corrected).toBe(1);
    expect(run.report!.conflicts.inversion).toBe(0);
  });

  it('extreme_drift: server_clock accuracy falls, ntp_corrected stays at 100 %', async () => {
    const run = await runOf(app, { ...base, scenario: 'extreme_drift', spread_ms: 5000 });
    expect(run.report!.accuracy.server_clock).toBeLessThan(0.9);
    expect(run.report!.accuracy.ntp_corrected).toBe(1);
    expect(run.report!.read_model_matches_run).toBe(true);
  });

  it('replays one run alone to the same read model', async () => {
    const run = await runOf(app, base);
    const replay = (await (
      await postJson(app.baseUrl, '/api/replay', { run_id: run.id }, app.operatorHeaders)
    ).json()) as { id: string };
    for (let polls = 0; polls < 200; polls += 1) {
      const job = await getJson(`${app.baseUrl}/api/replay/${replay.id}`);
      if (job.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stats = await getJson(`${app.baseUrl}/api/stats?run_id=${run.id}`);
    expect(stats.conflicts).toEqual(run.report!.conflicts);
    expect(stats.correct_seats).toEqual(run.report!.correct_seats);
  });

  it('lists runs and answers 400 naming each wrong field, 404 for an unknown run', async () => {
    const list = await getJson(`${app.baseUrl}/api/simulation/runs`);
    expect(list.total).toBeGreaterThanOrEqual(3);
    const bad = await postJson(
      app.baseUrl,
      '/api/simulation/runs',
      { scenario: 'nope', seed: 1, seats: -1, attempts_per_seat: 2, spread_ms: 10 },
      app.operatorHeaders,
    );
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { message: string[] };
    expect(body.message.join('\n')).toMatch(/scenario must be one of .*major_drift/);
    expect(body.message.join('\n')).toMatch(/seats must be between/);
    expect((await fetch(`${app.baseUrl}/api/simulation/runs/nope`)).status).toBe(404);
  });
});

describe('scenario runs when the simulation is disabled', () => {
  it('answers 403', async () => {
    const app = await startTestApp({ SIMULATION_ENABLED: 'false' });
    try {
      expect((await postJson(app.baseUrl, '/api/simulation/runs', base, app.operatorHeaders)).status).toBe(403);
      expect((await fetch(`${app.baseUrl}/api/simulation/runs`)).status).toBe(403);
    } finally {
      await app.close();
    }
  });
});
