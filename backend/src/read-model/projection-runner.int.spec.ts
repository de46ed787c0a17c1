import { filter, firstValueFrom, timeout } from 'rxjs';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../event-store/event-store.port';
import { SeatProjection } from '../reservations/projections/seat-projection';
import { openReadModelFixture, type ReadModelFixture } from '../testing/read-model-fixture';
import { attempted } from '../testing/seat-event-builders';
import { testDatabaseTargets } from '../testing/test-databases';
import type { BatchOutcome, PlannedBatch, Projection } from './projection';

/** A tiny deterministic generator, so the "seeded log" is the same on every run. */
const seededRandom = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const seededAttempts = (count: number, seed: number) => {
  const random = seededRandom(seed);
  const offsets = [-18_000, -6_000, 0, 9_000, 25_000];
  return Array.from({ length: count }, (_, index) => {
    const server = Math.floor(random() * 5);
    return attempted({
      customer: `customer-${index}`,
      server: `server-${server + 1}`,
      seatId: 1 + Math.floor(random() * 400),
      atMs: index * 3 + Math.floor(random() * 50),
      offsetMs: offsets[server]!,
      estimatedOffsetMs: offsets[server]! + Math.round((random() - 0.5) * 40),
      errorBoundMs: 5 + Math.round(random() * 20),
    });
  });
};

const canonicalDump = async (fixture: ReadModelFixture): Promise<string> =>
  JSON.stringify([
    await fixture.query(`SELECT * FROM rm_seats ORDER BY run_id, seat_id`),
    await fixture.query(`SELECT * FROM rm_attempts ORDER BY attempt_id`),
    await fixture.query(`SELECT * FROM rm_conflicts ORDER BY id`),
  ]);

/**
 * The last appended position, read from the table. headPosition() can lag behind it on a real
 * server while any transaction in the cluster (another suite, the runner itself) is open, because
 * it only reports positions below the oldest running transaction; waiting for that lagging head
 * made the live run stop early now and then.
 */
const lastAppendedPosition = async (fixture: ReadModelFixture): Promise<bigint> => {
  const [{ position }] = await fixture.query<{ position: string }>(
    `SELECT coalesce(max(position), 0)::text AS position FROM events`,
  );
  return BigInt(position);
};

const appendAll = async (fixture: ReadModelFixture, events: ReturnType<typeof attempted>[], concurrency = 8) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < events.length) {
        const event = events[next++]!;
        await fixture.append(event.streamId, [event]);
      }
    }),
  );
};

/** Applies the real projection, then fails once the batch reaches the fatal event: the transaction must roll it all back. */
class FailingMidBatch implements Projection {
  readonly name = 'failing';
  readonly tables: readonly string[];
  armed = true;
  constructor(
    private readonly inner: SeatProjection,
    private readonly fatalCustomer: string,
  ) {
    this.tables = inner.tables;
  }
  async applyBatch(manager: EntityManager, events: readonly RecordedEvent[]): Promise<BatchOutcome> {
    const outcome = await this.inner.applyBatch(manager, events);
    this.failIfFatal(events);
    return outcome;
  }
  async planBatch(reader: EntityManager, events: readonly RecordedEvent[]): Promise<PlannedBatch | null> {
    const planned = await this.inner.planBatch(reader, events);
    if (!planned) return null;
    return {
      outcome: planned.outcome,
      write: async (manager) => {
        await planned.write(manager);
        this.failIfFatal(events);
      },
    };
  }
  forgetRun(manager: EntityManager, runId: string): Promise<void> {
    return this.inner.forgetRun(manager, runId);
  }
  private failIfFatal(events: readonly RecordedEvent[]): void {
    if (this.armed && events.some((event) => event.data['customerName'] === this.fatalCustomer)) {
      throw new Error('simulated crash after writing part of the batch');
    }
  }
}

/**
 * The real projection, except that its first plan waits for `meanwhile`: what
 * another process's runner would do between this runner's reads and its transaction.
 */
class InterruptedPlan implements Projection {
  readonly name = 'interrupted';
  readonly tables: readonly string[];
  private meanwhile: (() => Promise<void>) | null;
  constructor(
    private readonly inner: SeatProjection,
    meanwhile: () => Promise<void>,
  ) {
    this.tables = inner.tables;
    this.meanwhile = meanwhile;
  }
  applyBatch(manager: EntityManager, events: readonly RecordedEvent[]): Promise<BatchOutcome> {
    return this.inner.applyBatch(manager, events);
  }
  async planBatch(reader: EntityManager, events: readonly RecordedEvent[]): Promise<PlannedBatch | null> {
    const planned = await this.inner.planBatch(reader, events);
    const meanwhile = this.meanwhile;
    this.meanwhile = null;
    await meanwhile?.();
    return planned;
  }
  forgetRun(manager: EntityManager, runId: string): Promise<void> {
    return this.inner.forgetRun(manager, runId);
  }
}

describe.each(testDatabaseTargets())('projection runner on $name', (target) => {
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

  it('rebuild equals incremental: a seeded 10,000-event log projected live, then rebuilt from zero', async () => {
    const events = seededAttempts(10_000, 42);
    await fixture.runner.start();
    await appendAll(fixture, events);
    const head = await lastAppendedPosition(fixture);
    expect(await fixture.runner.waitForPosition(head, 60_000)).toBe(true);
    await fixture.runner.stop();
    const live = await canonicalDump(fixture);
    const [{ count }] = await fixture.query<{ count: number }>(`SELECT count(*)::int AS count FROM rm_attempts`);
    expect(count).toBe(10_000);

    const progress: bigint[] = [];
    const rebuilt = await fixture.runner.rebuild((position) => progress.push(position));
    expect(rebuilt).toBe(10_000);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toBe(head);
    expect(await canonicalDump(fixture)).toBe(live);
  }, 120_000);

  it('a crash mid-batch leaves read model and checkpoint as before the batch; resuming equals a full replay', async () => {
    const events = seededAttempts(300, 7);
    await appendAll(fixture, events.slice(0, 100), 1);
    await fixture.runner.catchUp();
    const beforeBatch = await canonicalDump(fixture);
    const checkpointBefore = await fixture.query(`SELECT position FROM projection_checkpoints`);

    await appendAll(fixture, events.slice(100), 1);
    const failing = new FailingMidBatch(new SeatProjection(), 'customer-150');
    const crashing = fixture.newRunner([failing], { batchSize: 500 });
    await expect(crashing.catchUp()).rejects.toThrow(/simulated crash/);
    expect(await canonicalDump(fixture)).toBe(beforeBatch);
    expect(await fixture.query(`SELECT position FROM projection_checkpoints`)).toEqual(checkpointBefore);

    // Restart: a fresh runner resumes from the stored checkpoint.
    failing.armed = false;
    const resumed = fixture.newRunner([failing]);
    await resumed.start();
    expect(await resumed.waitForPosition(await lastAppendedPosition(fixture), 10_000)).toBe(true);
    await resumed.stop();
    const afterResume = await canonicalDump(fixture);
    await fixture.runner.rebuild();
    expect(await canonicalDump(fixture)).toBe(afterResume);
  }, 60_000);

  it('a plan read before another process moved the checkpoint is not written: the batch is worked out again in its transaction', async () => {
    const events = seededAttempts(200, 19);
    await appendAll(fixture, events.slice(0, 60), 1);
    await fixture.runner.catchUp();
    await appendAll(fixture, events.slice(60, 120), 1);
    // Between this runner's plan of the 120 attempts and its transaction, another runner projects them and 80 more.
    const other = fixture.newRunner();
    const interrupted = fixture.newRunner([
      new InterruptedPlan(new SeatProjection(), async () => {
        await appendAll(fixture, events.slice(120), 1);
        await other.catchUp();
      }),
    ]);
    await interrupted.catchUp();
    const projected = await canonicalDump(fixture);
    const [{ count }] = await fixture.query<{ count: number }>(
      `SELECT sum(attempts_count)::int AS count FROM rm_seats`,
    );
    expect(count).toBe(200);
    expect(await fixture.query(`SELECT position::text FROM projection_checkpoints`)).toEqual([
      { position: (await lastAppendedPosition(fixture)).toString() },
    ]);
    await fixture.runner.rebuild();
    expect(await canonicalDump(fixture)).toBe(projected);
  });

  it('while a bulk append runs, the live loop lets appends gather after a partial batch, until someone waits', async () => {
    const events = seededAttempts(8, 23);
    // Longer than the waits' own timeouts: only a waiter, or the end of the bulk append, can end this pause in time.
    const gathering = fixture.newRunner(undefined, { gatherMs: 30_000 });
    const batches: number[] = [];
    const subscription = gathering.projected$.subscribe((batch) => batches.push(batch.events));
    await gathering.start();
    try {
      await gathering.gatherDuring(async () => {
        await appendAll(fixture, events.slice(0, 1), 1);
        expect(await gathering.waitForPosition(await lastAppendedPosition(fixture), 10_000)).toBe(true);
        await appendAll(fixture, events.slice(1, 6), 1);
        expect(await gathering.waitForPosition(await lastAppendedPosition(fixture), 10_000)).toBe(true);
      });
      expect(batches).toEqual([1, 5]);

      // No bulk append: each append is projected without anyone waiting for it.
      for (const event of events.slice(6)) {
        const projected = firstValueFrom(
          gathering.projected$.pipe(
            filter((batch) =>
              batch.recorded.some((recorded) => recorded.data['customerName'] === event.data.customerName),
            ),
            timeout(10_000),
          ),
        );
        await appendAll(fixture, [event], 1);
        await projected;
      }
      expect(batches).toEqual([1, 5, 1, 1]);
    } finally {
      subscription.unsubscribe();
      await gathering.stop();
    }
  });

  it('when another process resets the checkpoint (its rebuild), this runner re-reads from there instead of skipping', async () => {
    const events = seededAttempts(60, 11);
    await appendAll(fixture, events.slice(0, 30), 1);
    await fixture.runner.catchUp();
    // What another process's rebuild does to the shared read model, while this runner holds its old position.
    await fixture.query(`TRUNCATE rm_seats, rm_attempts, rm_conflicts`);
    await fixture.query(`UPDATE projection_checkpoints SET position = 0`);
    await appendAll(fixture, events.slice(30), 1);
    await fixture.runner.catchUp();
    const [{ count }] = await fixture.query<{ count: number }>(`SELECT count(*)::int AS count FROM rm_attempts`);
    expect(count).toBe(60);
  });

  it('a restart resumes exactly after the last committed batch', async () => {
    const events = seededAttempts(50, 3);
    await appendAll(fixture, events.slice(0, 20), 1);
    await fixture.runner.catchUp();
    await appendAll(fixture, events.slice(20), 1);
    const restarted = fixture.newRunner();
    await restarted.start();
    expect(await restarted.waitForPosition(await lastAppendedPosition(fixture), 10_000)).toBe(true);
    await restarted.stop();
    const [{ count }] = await fixture.query<{ count: number }>(`SELECT count(*)::int AS count FROM rm_attempts`);
    expect(count).toBe(50);
  });
});
