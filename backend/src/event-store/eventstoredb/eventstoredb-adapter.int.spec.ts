/**
 * What the EventStoreDB adapter adds on top of the client, beyond the shared
 * contract: error translation to the port's classes, hiding the server's own
 * `$` events, the exclusive `after`, and the position of an idempotent re-send.
 * Runs against the in-process gRPC double (a real server is covered by the
 * contract spec when EVENTSTORE_CONNECTION_STRING is set).
 */
import { randomUUID } from 'node:crypto';
import { WrongExpectedVersionError as ClientWrongExpectedVersionError } from '@eventstore/db-client';
import { EsdbServerDouble } from '../../testing/esdb-double';
import { takeFromSubscription } from '../contract/contract-helpers';
import { EventStoreUnavailableError, WrongExpectedVersionError, type EventToAppend } from '../event-store.port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const event = (type: string, data: EventToAppend['data'] = {}): EventToAppend => ({ id: randomUUID(), type, data });

describe('EventStoreDbEventStore (on the gRPC server double)', () => {
  let double: EsdbServerDouble;
  let store: EventStoreDbEventStore;

  beforeEach(async () => {
    double = new EsdbServerDouble();
    const { connectionString } = await double.start();
    store = EventStoreDbEventStore.fromConnectionString(connectionString);
  });

  afterEach(async () => {
    await store.close();
    await double.stop();
  });

  it('is the eventstoredb kind', () => {
    expect(store.kind).toBe('eventstoredb');
  });

  it('maps a stale expected revision to the port WrongExpectedVersionError the PostgreSQL store raises', async () => {
    await store.append('seat-1', [event('A'), event('B')], { expectedRevision: 'no_stream' });

    const error = await store.append('seat-1', [event('C')], { expectedRevision: 0n }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).not.toBeInstanceOf(ClientWrongExpectedVersionError);
    expect(error).toMatchObject({ name: 'WrongExpectedVersionError', streamId: 'seat-1', expected: 0n, actual: 1n });
  });

  it('reports a missing stream as actual no_stream', async () => {
    const error = await store.append('seat-2', [event('A')], { expectedRevision: 3n }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ expected: 3n, actual: 'no_stream' });
  });

  it('refuses an empty append, as the PostgreSQL store does', async () => {
    await expect(store.append('seat-3', [])).rejects.toBeInstanceOf(RangeError);
  });

  it('gives an idempotent re-send the stored position, which the server does not report', async () => {
    const batch = [event('A'), event('B')];
    const original = await store.append('seat-4', batch, { expectedRevision: 'no_stream' });

    const resent = await store.append('seat-4', batch, { expectedRevision: 'no_stream' });

    expect(resent).toEqual(original);
    expect(original.position).toBeGreaterThan(0n);
  });

  describe('the server’s own $ events', () => {
    it('are never returned by readAll, even when a whole page is made of them', async () => {
      const first = await store.append('seat-5', [event('A')]);
      for (let index = 0; index < 5; index += 1) double.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
      const second = await store.append('seat-5', [event('B')]);

      const fromStart = await store.readAll({ maxCount: 1 });
      const afterFirst = await store.readAll({ after: first.position, maxCount: 1 });

      expect(double.allEvents().filter((e) => e.streamName.startsWith('$')).length).toBe(7);
      expect(fromStart.map((e) => e.position)).toEqual([first.position]);
      expect(afterFirst.map((e) => e.position)).toEqual([second.position]);
      expect(await store.readAll()).toHaveLength(2);
    });

    it('do not count for headPosition', async () => {
      expect(await store.headPosition()).toBe(0n);

      const appended = await store.append('seat-6', [event('A')]);
      for (let index = 0; index < 40; index += 1) double.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');

      expect(await store.headPosition()).toBe(appended.position);
    });

    it('are skipped by a live subscription', async () => {
      const subscription = store.subscribeToAll();
      try {
        double.appendSystemEvent('$users', '$UserCreated');
        await store.append('seat-7', [event('A')]);

        const [received] = await takeFromSubscription(subscription, 1, () => true);
        expect(received).toMatchObject({ streamId: 'seat-7', type: 'A' });
      } finally {
        await subscription.unsubscribe();
      }
    });
  });

  describe('when the server is unreachable', () => {
    beforeEach(async () => {
      await store.append('seat-8', [event('A')]);
    });

    it('raises EventStoreUnavailableError and ping() answers false', async () => {
      await double.stop();

      await expect(store.append('seat-8', [event('B')])).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readStream('seat-8')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(await store.ping()).toBe(false);
    });

    it('ends a live subscription with EventStoreUnavailableError', async () => {
      const events = store.subscribeToAll()[Symbol.asyncIterator]();
      expect((await events.next()).value).toMatchObject({ streamId: 'seat-8' });

      const next = events.next();
      await double.stop();

      await expect(next).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });
});
