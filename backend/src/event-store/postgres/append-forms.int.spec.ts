/*
 * The store picks a different append statement for one event and for
 * 'no_stream' (append-statement.ts). The contract suite covers each form's
 * happy path; these tests pin the concurrent and re-send cases of the forms
 * that skip reading the stream head, on PGlite and on a real server.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { WrongExpectedVersionError, type EventToAppend } from '../event-store.port';
import { newEvent, newEvents, uniqueStreamId } from '../contract/contract-helpers';
import { startEmbeddedPostgres } from '../embedded/embedded-postgres';
import { PostgresEventStore } from './postgres-event-store';

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'];

interface Target {
  readonly store: PostgresEventStore;
  dispose(): Promise<void>;
}

async function onPglite(): Promise<Target> {
  const embedded = await startEmbeddedPostgres();
  const pool = new Pool({ connectionString: embedded.connectionString, max: 10 });
  const store = new PostgresEventStore({ pool, kind: 'pglite' });
  await store.migrate();
  return {
    store,
    dispose: async () => {
      await store.close();
      await pool.end();
      await embedded.close();
    },
  };
}

async function onRealServer(): Promise<Target> {
  const schema = `es_forms_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 10 });
  const store = new PostgresEventStore({ pool, schema, kind: 'postgres' });
  await store.migrate();
  return {
    store,
    dispose: async () => {
      await store.close();
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

function describeAppendForms(name: string, create: () => Promise<Target>): void {
  describe(`append forms: ${name}`, () => {
    let target: Target;
    beforeAll(async () => {
      target = await create();
    });
    afterAll(async () => {
      await target.dispose();
    });

    it.each([
      ['one event', 1],
      ['a batch', 3],
    ])('of 30 concurrent no_stream appends of %s to one stream exactly one wins', async (_label, size) => {
      const streamId = uniqueStreamId('new-race');
      const batches = Array.from({ length: 30 }, () => newEvents(size));

      const outcomes = await Promise.allSettled(
        batches.map((batch) => target.store.append(streamId, batch, { expectedRevision: 'no_stream' })),
      );

      const won = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [batches[index]] : []));
      const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
      expect(won).toHaveLength(1);
      for (const error of lost) {
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect((error as WrongExpectedVersionError).actual).toBe(BigInt(size - 1));
      }
      const stream = await target.store.readStream(streamId);
      expect(stream.map((event) => event.id)).toEqual((won[0] ?? []).map((event: EventToAppend) => event.id));
    });

    it('re-sending one event with no_stream returns the original result and appends nothing', async () => {
      const streamId = uniqueStreamId('new-idem');
      const event = newEvent('Once', { n: 1 });
      const original = await target.store.append(streamId, [event], { expectedRevision: 'no_stream' });

      expect(await target.store.append(streamId, [event], { expectedRevision: 'no_stream' })).toEqual(original);
      expect(await target.store.readStream(streamId)).toHaveLength(1);
      // The same id on another stream is not a re-send: it is refused, and nothing is appended there.
      const otherStreamId = uniqueStreamId('new-idem-other');
      await expect(target.store.append(otherStreamId, [event], { expectedRevision: 'no_stream' })).rejects.toThrow(
        /already stored/,
      );
      expect(await target.store.readStream(otherStreamId)).toEqual([]);
    });

    it('200 concurrent one-event appends to new streams share commits (group commit), each still its own stream and event', async () => {
      const streams = Array.from({ length: 200 }, () => uniqueStreamId('group'));
      const events = streams.map((_, index) => newEvent('Grouped', { index }));
      const resent = newEvent('Resent');
      const resentStream = uniqueStreamId('group-resent');
      const original = await target.store.append(resentStream, [resent], { expectedRevision: 'no_stream' });

      const [results, resendResult, clash] = await Promise.all([
        Promise.all(
          streams.map((streamId, index) =>
            target.store.append(streamId, [events[index]!], { expectedRevision: 'no_stream' }),
          ),
        ),
        target.store.append(resentStream, [resent], { expectedRevision: 'no_stream' }),
        target.store
          .append(resentStream, [newEvent('Clash')], { expectedRevision: 'no_stream' })
          .catch((error: unknown) => error),
      ]);

      expect(resendResult).toEqual(original);
      expect(clash).toBeInstanceOf(WrongExpectedVersionError);
      expect(new Set(results.map((result) => result.position)).size).toBe(200);
      expect(results.every((result) => result.nextExpectedRevision === 0n)).toBe(true);
      // The position's high bits are the transaction: fewer transactions than appends means shared commits.
      const transactions = new Set(results.map((result) => result.position >> 20n));
      expect(transactions.size).toBeLessThan(200);
      for (const [index, streamId] of streams.entries()) {
        const stream = await target.store.readStream(streamId);
        expect(stream.map((event) => [event.id, event.position])).toEqual([
          [events[index]!.id, results[index]!.position],
        ]);
      }
      expect(await target.store.readStream(resentStream)).toHaveLength(1);
    });

    it('a batch to several streams is one transaction: its events share the high bits of their positions', async () => {
      const [seat, chunk] = [uniqueStreamId('batch-seat'), uniqueStreamId('batch-chunk')];
      await target.store.append(seat, newEvents(1), { expectedRevision: 'no_stream' });

      const results = await target.store.appendToStreams([
        { streamId: chunk, events: newEvents(50), expectedRevision: 'no_stream' },
        { streamId: seat, events: newEvents(2), expectedRevision: 0n },
      ]);

      const stored = [...(await target.store.readStream(chunk)), ...(await target.store.readStream(seat)).slice(1)];
      expect(stored).toHaveLength(52);
      expect(new Set(stored.map((event) => event.position >> 20n)).size).toBe(1);
      expect(results.map((result) => result.position)).toEqual([stored[49]!.position, stored[51]!.position]);
    });

    it('of 10 concurrent batches contending for one seat revision, one stores whole; each other stores only what precedes it', async () => {
      const seat = uniqueStreamId('batch-race');
      await target.store.append(seat, newEvents(1), { expectedRevision: 'no_stream' });
      const batches = Array.from({ length: 10 }, () => [
        { streamId: uniqueStreamId('batch-race-own'), events: newEvents(3), expectedRevision: 'no_stream' as const },
        { streamId: seat, events: newEvents(1), expectedRevision: 0n },
        { streamId: uniqueStreamId('batch-race-after'), events: newEvents(1), expectedRevision: 'no_stream' as const },
      ]);

      const outcomes = await Promise.allSettled(batches.map((batch) => target.store.appendToStreams(batch)));

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const [index, outcome] of outcomes.entries()) {
        const [own, , after] = batches[index]!;
        expect(await target.store.readStream(own!.streamId)).toHaveLength(3);
        expect(await target.store.readStream(after!.streamId)).toHaveLength(outcome.status === 'fulfilled' ? 1 : 0);
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedVersionError);
      }
      expect((await target.store.readStream(seat)).map((event) => event.revision)).toEqual([0n, 1n]);
    });

    it('30 concurrent single-event appends with any all land, with contiguous revisions', async () => {
      const streamId = uniqueStreamId('any-race');
      const events = Array.from({ length: 30 }, (_, index) => newEvent('Any', { index }));

      await Promise.all(events.map((event) => target.store.append(streamId, [event])));

      const stream = await target.store.readStream(streamId);
      expect(stream.map((event) => event.revision)).toEqual(events.map((_, index) => BigInt(index)));
      expect(new Set(stream.map((event) => event.id))).toEqual(new Set(events.map((event) => event.id)));
    });

    it('one event with stream_exists or a stale exact revision appends nothing', async () => {
      const missing = uniqueStreamId('one-missing');
      await expect(
        target.store.append(missing, [newEvent('X')], { expectedRevision: 'stream_exists' }),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      const streamId = uniqueStreamId('one-stale');
      await target.store.append(streamId, newEvents(2), { expectedRevision: 'no_stream' });
      await expect(target.store.append(streamId, [newEvent('X')], { expectedRevision: 0n })).rejects.toMatchObject({
        name: 'WrongExpectedVersionError',
        actual: 1n,
      });
      expect(await target.store.readStream(missing)).toEqual([]);
      expect(await target.store.readStream(streamId)).toHaveLength(2);
    });
  });
}

describeAppendForms('PGlite', onPglite);

if (TEST_DATABASE_URL !== undefined) {
  describeAppendForms('real PostgreSQL server', onRealServer);
} else {
  console.warn('TEST_DATABASE_URL is not set: skipping the append-form tests on a real PostgreSQL server');
  describe.skip('append forms: real PostgreSQL server (TEST_DATABASE_URL not set)', () => {
    it('needs TEST_DATABASE_URL', () => undefined);
  });
}
