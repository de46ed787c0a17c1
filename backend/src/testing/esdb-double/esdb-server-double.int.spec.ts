/**
 * The double, driven by the real `@eventstore/db-client` over gRPC: shows the
 * wire behaviour the adapter relies on, and the parts of the protocol the
 * adapter does not use (stream subscriptions, backwards reads, filters).
 */
import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  jsonEvent,
  type ResolvedEvent,
  type StreamSubscription,
  type AllStreamSubscription,
} from '@eventstore/db-client';
import { EsdbServerDouble, type ServerFeaturesMode } from './index';

async function collect(source: AsyncIterable<ResolvedEvent>): Promise<ResolvedEvent[]> {
  const events: ResolvedEvent[] = [];
  for await (const resolved of source) events.push(resolved);
  return events;
}

/** Reads `count` events from a subscription, then unsubscribes. */
async function take(subscription: StreamSubscription | AllStreamSubscription, count: number): Promise<ResolvedEvent[]> {
  const taken: ResolvedEvent[] = [];
  for await (const resolved of subscription) {
    taken.push(resolved);
    if (taken.length === count) break;
  }
  await subscription.unsubscribe();
  return taken;
}

const event = (type: string, data: Record<string, unknown> = {}) => jsonEvent({ id: randomUUID(), type, data });

describe.each<ServerFeaturesMode>(['list', 'unimplemented'])('EsdbServerDouble (ServerFeatures: %s)', (mode) => {
  let double: EsdbServerDouble;
  let client: EventStoreDBClient;

  beforeEach(async () => {
    double = new EsdbServerDouble({ serverFeatures: mode });
    const { connectionString } = await double.start();
    client = EventStoreDBClient.connectionString(connectionString);
  });

  afterEach(async () => {
    await client.dispose();
    await double.stop();
  });

  it('appends with revisions and positions, and reads JSON back with its creation time', async () => {
    const before = Date.now();
    const first = await client.appendToStream('seat-1', [event('A', { n: 1 }), event('B', { n: 2 })], {
      expectedRevision: NO_STREAM,
    });
    const events = await collect(client.readStream('seat-1'));

    expect(first.nextExpectedRevision).toBe(1n);
    expect(events.map((e) => [e.event?.type, e.event?.revision, e.event?.data])).toEqual([
      ['A', 0n, { n: 1 }],
      ['B', 1n, { n: 2 }],
    ]);
    expect(events[1].event?.position?.commit).toBe(first.position?.commit);
    expect(events[0].event!.created.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('answers a stale expected revision with the wrong_expected_version reply', async () => {
    await client.appendToStream('seat-2', [event('A')]);
    const attempt = client.appendToStream('seat-2', [event('B')], { expectedRevision: 5n });

    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(attempt).rejects.toMatchObject({ expectedVersion: 5n, actualVersion: 0n });
  });

  it('appends nothing when the same event ids are sent again', async () => {
    const same = [event('A'), event('B')];
    await client.appendToStream('seat-3', same, { expectedRevision: NO_STREAM });
    const again = await client.appendToStream('seat-3', same, { expectedRevision: NO_STREAM });

    expect(again.nextExpectedRevision).toBe(1n);
    expect(await collect(client.readStream('seat-3'))).toHaveLength(2);
  });

  it('reports a missing stream as StreamNotFoundError', async () => {
    await expect(collect(client.readStream('nobody'))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('reads a stream and $all backwards from the end', async () => {
    await client.appendToStream('seat-4', [event('A'), event('B'), event('C')]);

    const stream = await collect(client.readStream('seat-4', { direction: BACKWARDS, fromRevision: END, maxCount: 2 }));
    const all = await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }));

    expect(stream.map((e) => e.event?.type)).toEqual(['C', 'B']);
    expect(all.map((e) => e.event?.type)).toEqual(['C']);
  });

  it('includes the start position in readAll and excludes it in subscribeToAll', async () => {
    await client.appendToStream('seat-5', [event('A'), event('B')]);
    const [a] = (await collect(client.readAll())).filter((e) => e.event?.streamId === 'seat-5');
    const from = a.event!.position!;

    const read = await collect(client.readAll({ fromPosition: from, maxCount: 1 }));
    const subscribed = await take(client.subscribeToAll({ fromPosition: from }), 1);

    expect(read[0].event?.type).toBe('A');
    expect(subscribed[0].event?.type).toBe('B');
  });

  it('serves a stream subscription: catch-up, caughtUp, then live events', async () => {
    await client.appendToStream('seat-6', [event('A')]);
    const subscription = client.subscribeToStream('seat-6');
    const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', resolve));
    const received = take(subscription, 2);

    await caughtUp;
    await client.appendToStream('other', [event('noise')]);
    await client.appendToStream('seat-6', [event('B')]);

    expect((await received).map((e) => e.event?.type)).toEqual(['A', 'B']);
  });

  it('applies an event-type filter on a $all subscription', async () => {
    await client.appendToStream('seat-7', [event('Kept'), event('Dropped'), event('Kept')]);

    const received = await take(client.subscribeToAll({ filter: eventTypeFilter({ prefixes: ['Kept'] }) }), 2);

    expect(received.map((e) => e.event?.type)).toEqual(['Kept', 'Kept']);
  });

  it('starts $all with the system events of a fresh server', async () => {
    const all = await collect(client.readAll());

    expect(all.map((e) => e.event?.streamId)).toEqual(['$user-admin', '$users']);
    expect(all[0].event!.position!.commit).toBeGreaterThan(0n);
  });
});
