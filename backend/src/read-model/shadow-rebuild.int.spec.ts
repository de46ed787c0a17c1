/**
 * Issue 13.5: a rebuild runs beside the live model and swaps in when caught
 * up. Readers never see a half-built model, the live loop never stops, the
 * swap is announced once at the live checkpoint, and the result equals a
 * model rebuilt from scratch.
 */
import { openReadModelFixture, type ReadModelFixture } from '../testing/read-model-fixture';
import { attempted } from '../testing/seat-event-builders';
import { testDatabaseTargets } from '../testing/test-databases';
import { RebuildInProgressError, type ProjectedBatch, type ReadModelSwap } from './projection-runner';

const attempts = (count: number, options: { runId?: string; prefix?: string; seats?: number } = {}) =>
  Array.from({ length: count }, (_, index) =>
    attempted({
      customer: `${options.prefix ?? 'c'}-${index}`,
      server: `server-${1 + (index % 5)}`,
      seatId: 1 + (index % (options.seats ?? 200)),
      atMs: index * 7,
      offsetMs: (index % 5) * 3000 - 6000,
      runId: options.runId ?? null,
    }),
  );

const dump = async (fixture: ReadModelFixture): Promise<string> =>
  JSON.stringify([
    await fixture.query(`SELECT * FROM rm_seats ORDER BY run_id, seat_id`),
    await fixture.query(`SELECT * FROM rm_attempts ORDER BY attempt_id`),
    await fixture.query(`SELECT * FROM rm_conflicts ORDER BY id`),
  ]);

const countAttempts = async (fixture: ReadModelFixture, runId = ''): Promise<number> => {
  const [{ count }] = await fixture.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM rm_attempts WHERE run_id = $1`,
    [runId],
  );
  return count;
};

const lastAppended = async (fixture: ReadModelFixture): Promise<bigint> => {
  const [{ position }] = await fixture.query<{ position: string }>(
    `SELECT coalesce(max(position), 0)::text AS position FROM events`,
  );
  return BigInt(position);
};

const appendAll = async (fixture: ReadModelFixture, events: ReturnType<typeof attempted>[]) => {
  for (const event of events) await fixture.append(event.streamId, [event]);
};

describe.each(testDatabaseTargets())('a rebuild beside the live model on $name', (target) => {
  let fixture: ReadModelFixture;

  beforeAll(async () => {
    fixture = await openReadModelFixture(await target.open());
  });
  beforeEach(async () => {
    await fixture.reset();
  });
  afterAll(async () => {
    await fixture?.dispose();
  });

  it('keeps the live model readable and projecting, swaps once at the live checkpoint, and equals a rebuild from scratch', async () => {
    const before = attempts(1500, { prefix: 'before' });
    await appendAll(fixture, before);
    const runner = fixture.newRunner(undefined, { rebuildBatchSize: 100 });
    fixture.runner = runner;
    await runner.start();
    expect(await runner.waitForPosition(await lastAppended(fixture), 60_000)).toBe(true);

    const timeline: ({ kind: 'batch'; batch: ProjectedBatch } | { kind: 'swap'; swap: ReadModelSwap })[] = [];
    const batches = runner.projected$.subscribe((batch) => timeline.push({ kind: 'batch', batch }));
    const swaps = runner.swapped$.subscribe((swap) => timeline.push({ kind: 'swap', swap }));

    const rebuilding = runner.rebuild();
    // While it runs: new attempts keep arriving and readers keep reading.
    const during = attempts(150, { prefix: 'during' });
    const readings: number[] = [];
    let appended = 0;
    while (runner.rebuildRunning || appended < during.length) {
      if (appended < during.length) {
        const event = during[appended++]!;
        await fixture.append(event.streamId, [event]);
      }
      readings.push(await countAttempts(fixture));
      if (!runner.rebuildRunning && appended >= during.length) break;
    }
    const rebuilt = await rebuilding;
    expect(await runner.waitForPosition(await lastAppended(fixture), 30_000)).toBe(true);
    batches.unsubscribe();
    swaps.unsubscribe();

    // Readers saw the previous model, then the new one: never fewer attempts than before, never an empty model.
    expect(Math.min(...readings)).toBeGreaterThanOrEqual(before.length);
    for (let index = 1; index < readings.length; index += 1) {
      expect(readings[index]).toBeGreaterThanOrEqual(readings[index - 1]!);
    }
    expect(await countAttempts(fixture)).toBe(before.length + during.length);
    expect(rebuilt).toBeGreaterThanOrEqual(before.length);

    // The live loop kept projecting during the rebuild, and the swap came once, at a batch boundary.
    const swapIndexes = timeline.flatMap((entry, index) => (entry.kind === 'swap' ? [index] : []));
    expect(swapIndexes).toHaveLength(1);
    const swap = (timeline[swapIndexes[0]!] as { swap: ReadModelSwap }).swap;
    expect(swap.scope).toEqual({ kind: 'full' });
    const batchesBefore = timeline.slice(0, swapIndexes[0]).flatMap((e) => (e.kind === 'batch' ? [e.batch] : []));
    const batchesAfter = timeline.slice(swapIndexes[0]! + 1).flatMap((e) => (e.kind === 'batch' ? [e.batch] : []));
    expect(batchesBefore.length).toBeGreaterThan(0);
    expect(batchesBefore.every((batch) => batch.position <= swap.position && !batch.replaying)).toBe(true);
    expect(batchesAfter.every((batch) => batch.position > swap.position)).toBe(true);
    expect(batchesBefore[batchesBefore.length - 1]!.position).toBe(swap.position);

    // No shadow left behind, and the swapped-in model equals one rebuilt with nothing else going on.
    const [{ shadow }] = await fixture.query<{ shadow: string | null }>(
      `SELECT to_regnamespace('rm_rebuild')::text AS shadow`,
    );
    expect(shadow).toBeNull();
    await runner.stop();
    const afterSwap = await dump(fixture);
    await runner.rebuild();
    expect(await dump(fixture)).toBe(afterSwap);
  }, 180_000);

  it('a run replay replaces that run rows only', async () => {
    await appendAll(fixture, attempts(40, { prefix: 'live', seats: 10 }));
    await appendAll(fixture, attempts(60, { prefix: 'run', runId: 'r1', seats: 10 }));
    await fixture.runner.catchUp();
    const runBefore = await fixture.query(`SELECT * FROM rm_attempts WHERE run_id = 'r1' ORDER BY attempt_id`);
    // Damage both: the replay must repair the run and leave the live rows as they are.
    await fixture.query(`DELETE FROM rm_attempts WHERE run_id = 'r1' AND customer_name LIKE 'run-1%'`);
    await fixture.query(
      `UPDATE rm_attempts SET customer_name = 'marker' WHERE run_id = '' AND customer_name = 'live-3'`,
    );
    const swaps: ReadModelSwap[] = [];
    const subscription = fixture.runner.swapped$.subscribe((swap) => swaps.push(swap));

    expect(await fixture.runner.rebuildRun('r1')).toBe(60);
    subscription.unsubscribe();
    expect(await fixture.query(`SELECT * FROM rm_attempts WHERE run_id = 'r1' ORDER BY attempt_id`)).toEqual(runBefore);
    expect(await fixture.query(`SELECT customer_name FROM rm_attempts WHERE customer_name = 'marker'`)).toHaveLength(1);
    expect(swaps).toEqual([
      { position: fixture.runner.projectedPosition, scope: { kind: 'run', runId: 'r1' }, events: 60 },
    ]);
  });

  it('runs one rebuild at a time', async () => {
    await appendAll(fixture, attempts(30));
    await fixture.runner.catchUp();
    const first = fixture.runner.rebuild();
    await expect(fixture.runner.rebuild()).rejects.toBeInstanceOf(RebuildInProgressError);
    await expect(fixture.runner.rebuildRun('r1')).rejects.toBeInstanceOf(RebuildInProgressError);
    expect(await first).toBe(30);
    expect(await countAttempts(fixture)).toBe(30);
  });
});
