/**
 * The behaviour every EventStore adapter must have, written against the port
 * only (no SQL, no client library), so the PostgreSQL/PGlite adapter and the
 * EventStoreDB adapter run the very same suite from their own spec files:
 *
 *   describeEventStoreContract('PGlite', async () => ({ store, dispose }));
 *
 * The store may be shared with other tests and files, so every test uses its
 * own stream ids and judges the global log relative to a position read when
 * the test starts, ignoring other streams.
 *
 * The global log may make a committed event visible a little later (the
 * PostgreSQL store holds events back while an older transaction anywhere on
 * the server is still open: that is how it never skips one). So tests wait for
 * visibility through headPosition() before they judge readAll, and prove that
 * something was NOT appended by waiting for a later sentinel event.
 */
import {
  WrongExpectedVersionError,
  type EventStore,
  type ExpectedRevision,
  type RecordedEvent,
} from '../event-store.port';
import {
  expectUnsubscribeEndsIteration,
  headsUntil,
  isStrictlyIncreasing,
  newEvent,
  newEvents,
  rejectionOf,
  takeFromSubscription,
  uniqueStreamId,
  waitUntilVisible as waitUntilVisibleIn,
  withTimeout,
} from './contract-helpers';

export interface EventStoreContractOptions {
  /** Per-test timeout for slow engines. Default: jest's. */
  readonly testTimeoutMs?: number;
}

const VISIBILITY_TIMEOUT_MS = 10_000;

export type EventStoreFactory = () => Promise<{ store: EventStore; dispose(): Promise<void> }>;

export function describeEventStoreContract(
  name: string,
  makeStore: EventStoreFactory,
  options: EventStoreContractOptions = {},
): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;

    beforeAll(async () => {
      ({ store, dispose } = await makeStore());
    });
    afterAll(async () => {
      await dispose?.();
    });
    if (options.testTimeoutMs !== undefined) jest.setTimeout(options.testTimeoutMs);

    const waitUntilVisible = (position: bigint): Promise<void> =>
      waitUntilVisibleIn(store, position, VISIBILITY_TIMEOUT_MS);

    /** The event with this id, found by paging the global log after a known position. */
    async function findInLog(after: bigint, id: string): Promise<RecordedEvent | undefined> {
      for (let cursor = after; ;) {
        const page = await store.readAll({ after: cursor, maxCount: 100 });
        if (page.length === 0) return undefined;
        const found = page.find((event) => event.id === id);
        if (found) return found;
        cursor = page[page.length - 1]!.position;
      }
    }

    /** Appends a sentinel and waits for it: anything appended before it is visible by then. */
    async function waitForEarlierAppends(): Promise<void> {
      const sentinel = await store.append(uniqueStreamId('sentinel'), [newEvent('Sentinel')]);
      await waitUntilVisible(sentinel.position);
    }

    /** Our streams' events in the global log after `start`, in log order. */
    async function logOf(start: bigint, streamIds: readonly string[]): Promise<RecordedEvent[]> {
      const all = await store.readAll({ after: start });
      return all.filter((event) => streamIds.includes(event.streamId));
    }

    async function expectWrongVersion(
      streamId: string,
      expected: ExpectedRevision,
      actual: bigint | 'no_stream',
    ): Promise<void> {
      const error = await rejectionOf(store.append(streamId, [newEvent('Rejected')], { expectedRevision: expected }));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId, expected, actual });
    }

    describe('append and expected revision', () => {
      it('appends to a new stream with no_stream, numbering revisions from 0', async () => {
        const streamId = uniqueStreamId('new');
        const events = newEvents(3);
        const result = await store.append(streamId, events, { expectedRevision: 'no_stream' });

        const stored = await store.readStream(streamId);
        expect(result.nextExpectedRevision).toBe(2n);
        expect(stored.map((event) => event.id)).toEqual(events.map((event) => event.id));
        expect(stored.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
        expect(stored.every((event) => event.streamId === streamId)).toBe(true);
        expect(result.position).toBe(stored[2]?.position);
        expect(isStrictlyIncreasing(stored.map((event) => event.position))).toBe(true);
      });

      it('appends with the exact current revision', async () => {
        const streamId = uniqueStreamId('exact');
        const first = await store.append(streamId, newEvents(2), { expectedRevision: 'no_stream' });
        const second = await store.append(streamId, newEvents(1), { expectedRevision: first.nextExpectedRevision });
        const third = await store.append(streamId, newEvents(2), { expectedRevision: 2n });

        expect([first.nextExpectedRevision, second.nextExpectedRevision, third.nextExpectedRevision]).toEqual([
          1n,
          2n,
          4n,
        ]);
        expect(second.position).toBeGreaterThan(first.position);
        expect(third.position).toBeGreaterThan(second.position);
        expect((await store.readStream(streamId)).map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
      });

      it('stream_exists refuses a missing stream and accepts an existing one', async () => {
        const streamId = uniqueStreamId('exists');
        await expectWrongVersion(streamId, 'stream_exists', 'no_stream');
        expect(await store.readStream(streamId)).toEqual([]);

        await store.append(streamId, newEvents(1), { expectedRevision: 'no_stream' });
        const result = await store.append(streamId, newEvents(1), { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('any appends to a missing and to an existing stream; it is the default', async () => {
        const streamId = uniqueStreamId('any');
        expect((await store.append(streamId, newEvents(1), { expectedRevision: 'any' })).nextExpectedRevision).toBe(0n);
        expect((await store.append(streamId, newEvents(2), { expectedRevision: 'any' })).nextExpectedRevision).toBe(2n);
        expect((await store.append(streamId, newEvents(1))).nextExpectedRevision).toBe(3n);
      });

      it('no_stream refuses a stream that exists', async () => {
        const streamId = uniqueStreamId('nostream');
        await store.append(streamId, newEvents(2));
        await expectWrongVersion(streamId, 'no_stream', 1n);
      });

      it('a stale or future expected revision throws WrongExpectedVersionError and appends nothing', async () => {
        const streamId = uniqueStreamId('stale');
        await store.append(streamId, newEvents(3), { expectedRevision: 'no_stream' });
        const start = await store.headPosition();
        const before = await store.readStream(streamId);

        const missingStreamId = uniqueStreamId('missing');
        await expectWrongVersion(streamId, 1n, 2n);
        await expectWrongVersion(streamId, 5n, 2n);
        await expectWrongVersion(missingStreamId, 0n, 'no_stream');

        expect(await store.readStream(streamId)).toEqual(before);
        expect(await store.readStream(missingStreamId)).toEqual([]);
        await waitForEarlierAppends();
        expect(await logOf(start, [streamId, missingStreamId])).toEqual([]);
      });

      it('of 50 concurrent appends with the same expected revision exactly one wins', async () => {
        const streamId = uniqueStreamId('race');
        const start = await store.headPosition();
        const { nextExpectedRevision } = await store.append(streamId, newEvents(1), { expectedRevision: 'no_stream' });
        const contenders = Array.from({ length: 50 }, (_, index) => newEvent('Contended', { contender: index }));

        const outcomes = await Promise.allSettled(
          contenders.map((event) => store.append(streamId, [event], { expectedRevision: nextExpectedRevision })),
        );

        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(49);
        for (const error of lost) expect(error).toBeInstanceOf(WrongExpectedVersionError);
        const stream = await store.readStream(streamId);
        expect(stream.map((event) => event.revision)).toEqual([0n, 1n]);
        await waitForEarlierAppends();
        expect(await logOf(start, [streamId])).toHaveLength(2);
      });
    });

    describe('idempotent append by event id', () => {
      it('re-sending the same events with the original expected revision appends nothing', async () => {
        const streamId = uniqueStreamId('idem');
        await store.append(streamId, newEvents(1), { expectedRevision: 'no_stream' });
        const batch = newEvents(3);
        const original = await store.append(streamId, batch, { expectedRevision: 0n });
        const start = await store.headPosition();

        const resent = await store.append(streamId, batch, { expectedRevision: 0n });

        expect(resent).toEqual(original);
        expect(await store.readStream(streamId)).toHaveLength(4);
        await waitForEarlierAppends();
        expect(await logOf(start, [streamId])).toEqual([]);
      });

      it('re-sending with any, or the first append with no_stream, appends nothing', async () => {
        const streamId = uniqueStreamId('idem-any');
        const batch = newEvents(2);
        const original = await store.append(streamId, batch, { expectedRevision: 'no_stream' });
        const start = await store.headPosition();

        expect(await store.append(streamId, batch, { expectedRevision: 'any' })).toEqual(original);
        expect(await store.append(streamId, batch, { expectedRevision: 'no_stream' })).toEqual(original);

        expect(await store.readStream(streamId)).toHaveLength(2);
        await waitForEarlierAppends();
        expect(await logOf(start, [streamId])).toEqual([]);
      });
    });

    describe('appendToStreams', () => {
      it('appends to several streams in the given order, a stream twice included, one result per append', async () => {
        const [seatA, seatB, clock] = [uniqueStreamId('batch-a'), uniqueStreamId('batch-b'), uniqueStreamId('batch-c')];
        await store.append(seatB, newEvents(2), { expectedRevision: 'no_stream' });
        const start = await store.headPosition();
        const appends = [
          { streamId: seatA, events: newEvents(3), expectedRevision: 'no_stream' as const },
          { streamId: seatB, events: newEvents(1), expectedRevision: 1n },
          { streamId: clock, events: newEvents(1), expectedRevision: 'no_stream' as const },
          { streamId: seatA, events: newEvents(2), expectedRevision: 2n },
        ];

        const results = await store.appendToStreams(appends);

        expect(results.map((result) => result.nextExpectedRevision)).toEqual([2n, 2n, 0n, 4n]);
        const inLog = await logOf(start, [seatA, seatB, clock]);
        expect(inLog.map((event) => event.id)).toEqual(appends.flatMap((append) => append.events.map((e) => e.id)));
        expect(isStrictlyIncreasing(inLog.map((event) => event.position))).toBe(true);
        const lastOfEach = [2, 3, 4, 6].map((index) => inLog[index]?.position);
        expect(results.map((result) => result.position)).toEqual(lastOfEach);
        expect((await store.readStream(seatA)).map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect((await store.readStream(seatB)).map((event) => event.revision)).toEqual([0n, 1n, 2n]);
      });

      it('a failing expectation is thrown, and what is stored is the prefix before it', async () => {
        const [first, taken, after] = [
          uniqueStreamId('prefix-1'),
          uniqueStreamId('prefix-2'),
          uniqueStreamId('prefix-3'),
        ];
        await store.append(taken, newEvents(1), { expectedRevision: 'no_stream' });
        const start = await store.headPosition();

        const error = await rejectionOf(
          store.appendToStreams([
            { streamId: first, events: newEvents(1), expectedRevision: 'no_stream' },
            { streamId: taken, events: newEvents(1), expectedRevision: 'no_stream' },
            { streamId: after, events: newEvents(1), expectedRevision: 'no_stream' },
          ]),
        );

        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: taken, expected: 'no_stream', actual: 0n });
        expect(await store.readStream(taken)).toHaveLength(1);
        expect(await store.readStream(after)).toEqual([]);
        await waitForEarlierAppends();
        const stored = (await logOf(start, [first, taken, after])).map((event) => event.streamId);
        expect([[], [first]]).toContainEqual(stored);
      });

      it('an exact expectation past the stream head is refused, as in a single append', async () => {
        const [fine, short] = [uniqueStreamId('ahead-1'), uniqueStreamId('ahead-2')];
        await store.append(short, newEvents(1), { expectedRevision: 'no_stream' });

        const error = await rejectionOf(
          store.appendToStreams([
            { streamId: fine, events: newEvents(1), expectedRevision: 'no_stream' },
            { streamId: short, events: newEvents(1), expectedRevision: 3n },
          ]),
        );

        expect(error).toMatchObject({ name: 'WrongExpectedVersionError', streamId: short, expected: 3n, actual: 0n });
        expect(await store.readStream(short)).toHaveLength(1);
      });

      it('re-sending a batch, whole or with only its first appends stored, stores each event once', async () => {
        const [one, two, three] = [uniqueStreamId('resend-1'), uniqueStreamId('resend-2'), uniqueStreamId('resend-3')];
        const appends = [
          { streamId: one, events: newEvents(2), expectedRevision: 'no_stream' as const },
          { streamId: two, events: newEvents(1), expectedRevision: 'no_stream' as const },
          { streamId: three, events: newEvents(1), expectedRevision: 'no_stream' as const },
        ];
        const first = await store.append(one, appends[0]!.events, { expectedRevision: 'no_stream' });

        const completed = await store.appendToStreams(appends);
        const start = await store.headPosition();
        const resent = await store.appendToStreams(appends);

        expect(completed[0]).toEqual(first);
        expect(resent).toEqual(completed);
        for (const { streamId, events } of appends) {
          expect((await store.readStream(streamId)).map((event) => event.id)).toEqual(events.map((e) => e.id));
        }
        await waitForEarlierAppends();
        expect(await logOf(start, [one, two, three])).toEqual([]);
      });

      it('refuses an event id that is not a UUID, in an append or a batch, the same way on every store, storing nothing', async () => {
        const streamId = uniqueStreamId('not-a-uuid');
        const notUuid = { ...newEvent('NotUuid'), id: 'not-a-uuid' };
        await expect(store.append(streamId, [notUuid])).rejects.toThrow(
          new RangeError('event id "not-a-uuid" is not a UUID'),
        );
        await expect(store.append(streamId, [notUuid], { expectedRevision: 'no_stream' })).rejects.toThrow(RangeError);
        await expect(
          store.appendToStreams([
            { streamId, events: [newEvent('Valid')], expectedRevision: 'no_stream' },
            { streamId: uniqueStreamId('not-a-uuid-2'), events: [notUuid], expectedRevision: 'no_stream' },
          ]),
        ).rejects.toThrow(RangeError);
        expect(await store.readStream(streamId)).toEqual([]);
      });

      it('refuses an empty batch, an empty append and an event id sent twice, storing nothing', async () => {
        const streamId = uniqueStreamId('refused');
        const twice = newEvent('Twice');
        await expect(store.appendToStreams([])).rejects.toThrow(RangeError);
        await expect(store.appendToStreams([{ streamId, events: [], expectedRevision: 'no_stream' }])).rejects.toThrow(
          RangeError,
        );
        await expect(
          store.appendToStreams([
            { streamId, events: [twice], expectedRevision: 'no_stream' },
            { streamId: uniqueStreamId('refused-2'), events: [twice], expectedRevision: 'no_stream' },
          ]),
        ).rejects.toThrow(RangeError);
        expect(await store.readStream(streamId)).toEqual([]);
      });
    });

    describe('readStream', () => {
      const streamId = uniqueStreamId('read');
      let appended: RecordedEvent[];

      beforeAll(async () => {
        await store.append(streamId, newEvents(10), { expectedRevision: 'no_stream' });
        appended = await store.readStream(streamId);
      });

      it('reads forwards from revision 0 by default', () => {
        expect(appended.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]);
        expect(appended.map((event) => event.data)).toEqual(Array.from({ length: 10 }, (_, index) => ({ index })));
      });

      it('reads forwards from a revision with a max count', async () => {
        const page = await store.readStream(streamId, { fromRevision: 4n, maxCount: 3 });
        expect(page.map((event) => event.revision)).toEqual([4n, 5n, 6n]);
        expect(page).toEqual(appended.slice(4, 7));
      });

      it('reads backwards from the end, or from a revision downwards', async () => {
        const fromEnd = await store.readStream(streamId, { direction: 'backwards', maxCount: 3 });
        expect(fromEnd.map((event) => event.revision)).toEqual([9n, 8n, 7n]);
        const fromFive = await store.readStream(streamId, { direction: 'backwards', fromRevision: 5n });
        expect(fromFive.map((event) => event.revision)).toEqual([5n, 4n, 3n, 2n, 1n, 0n]);
        expect(await store.readStream(streamId, { direction: 'backwards' })).toEqual([...appended].reverse());
      });

      it('reads past the end as [] and a missing stream as []', async () => {
        expect(await store.readStream(streamId, { fromRevision: 10n })).toEqual([]);
        expect(await store.readStream(uniqueStreamId('never'))).toEqual([]);
        expect(await store.readStream(uniqueStreamId('never'), { direction: 'backwards' })).toEqual([]);
      });
    });

    describe('readAll', () => {
      it('pages through the global log in append order across interleaved streams', async () => {
        const start = await store.headPosition();
        const streams = [uniqueStreamId('all-a'), uniqueStreamId('all-b'), uniqueStreamId('all-c')];
        const appendedIds: string[] = [];
        let last = start;
        for (let round = 0; round < 4; round += 1) {
          for (const streamId of streams) {
            const batch = newEvents(round % 2 === 0 ? 1 : 2);
            last = (await store.append(streamId, batch)).position;
            appendedIds.push(...batch.map((event) => event.id));
          }
        }
        await waitUntilVisible(last);

        const consumed: RecordedEvent[] = [];
        let after = start;
        for (let page = await store.readAll({ after, maxCount: 5 }); page.length > 0;) {
          expect(page.length).toBeLessThanOrEqual(5);
          expect(page[0]?.position).toBeGreaterThan(after);
          consumed.push(...page);
          after = page[page.length - 1]?.position ?? after;
          page = await store.readAll({ after, maxCount: 5 });
        }

        expect(isStrictlyIncreasing(consumed.map((event) => event.position))).toBe(true);
        const ours = consumed.filter((event) => streams.includes(event.streamId));
        expect(ours.map((event) => event.id)).toEqual(appendedIds);
        expect(await logOf(start, streams)).toEqual(ours);
      });

      it('after is exclusive and 0n reads from the start of the log', async () => {
        const streamId = uniqueStreamId('after');
        await waitUntilVisible((await store.append(streamId, newEvents(3))).position);
        const [first, second, third] = await store.readStream(streamId);
        if (first === undefined || second === undefined || third === undefined) throw new Error('3 events expected');

        const afterFirst = (await store.readAll({ after: first.position })).filter((e) => e.streamId === streamId);
        expect(afterFirst.map((event) => event.id)).toEqual([second.id, third.id]);
        const fromStart = await store.readAll({ after: 0n, maxCount: 1 });
        expect(fromStart).toHaveLength(1);
        expect(fromStart[0]?.position).toBeLessThanOrEqual(first.position);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up on past events, then delivers live ones, and ends on unsubscribe', async () => {
        const start = await store.headPosition();
        const streamId = uniqueStreamId('sub');
        const past = newEvents(3);
        await store.append(streamId, past);

        const subscription = store.subscribeToAll({ after: start });
        const received = takeFromSubscription(subscription, 5, (event) => event.streamId === streamId);
        const live = newEvents(2);
        await store.append(streamId, live.slice(0, 1));
        await store.append(streamId, live.slice(1));

        const events = await received;
        expect(events.map((event) => event.id)).toEqual([...past, ...live].map((event) => event.id));
        expect(isStrictlyIncreasing(events.map((event) => event.position))).toBe(true);
        await subscription.unsubscribe();
      });

      it('starts strictly after the given position', async () => {
        const streamId = uniqueStreamId('sub-from');
        await store.append(streamId, newEvents(4));
        const stream = await store.readStream(streamId);

        const subscription = store.subscribeToAll({ after: stream[1]?.position ?? 0n });
        try {
          const events = await takeFromSubscription(subscription, 2, (event) => event.streamId === streamId);
          expect(events.map((event) => event.revision)).toEqual([2n, 3n]);
        } finally {
          await subscription.unsubscribe();
        }
      });

      it('unsubscribe ends a pending iteration promptly', async () => {
        await expectUnsubscribeEndsIteration(store.subscribeToAll({ after: await store.headPosition() }));
      });

      it('a for-await loop over the subscription stops when the consumer breaks out', async () => {
        const streamId = uniqueStreamId('sub-break');
        const start = await store.headPosition();
        await store.append(streamId, newEvents(2));
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({ after: start });
        await withTimeout(
          (async () => {
            for await (const event of subscription) {
              if (event.streamId !== streamId) continue;
              seen.push(event);
              if (seen.length === 2) break;
            }
          })(),
          5000,
          'two events through for-await',
        );
        expect(seen.map((event) => event.revision)).toEqual([0n, 1n]);
        await subscription.unsubscribe();
      });
    });

    describe('watchHead', () => {
      it('yields the head as appends move it, increasing and past the start', async () => {
        const start = await store.headPosition();
        const watch = store.watchHead({ after: start });
        const heads = watch[Symbol.asyncIterator]();
        try {
          const streamId = uniqueStreamId('watch');
          const first = await store.append(streamId, newEvents(2));
          const untilFirst = await headsUntil(heads, first.position);
          const second = await store.append(streamId, newEvents(1), { expectedRevision: 1n });
          const untilSecond = await headsUntil(heads, second.position);
          const seen = [...untilFirst, ...untilSecond];
          expect(seen[0]!).toBeGreaterThan(start);
          expect(isStrictlyIncreasing(seen)).toBe(true);
          // Other tests may append to a shared store, but nothing yields past what was visible.
          expect(untilFirst.at(-1)!).toBeLessThan(second.position);
        } finally {
          await watch.unsubscribe();
        }
      });

      it('yields at once a head already past `after`, without a further append', async () => {
        const streamId = uniqueStreamId('watch-from');
        await store.append(streamId, newEvents(3));
        const [first, , third] = await store.readStream(streamId);
        const watch = store.watchHead({ after: first!.position });
        try {
          const seen = await headsUntil(watch[Symbol.asyncIterator](), third!.position, 5000);
          expect(seen[0]!).toBeGreaterThan(first!.position);
        } finally {
          await watch.unsubscribe();
        }
      });

      it('never yields a head twice, nor one at or before `after`, while it polls with nothing new', async () => {
        const streamId = uniqueStreamId('watch-once');
        const { position } = await store.append(streamId, newEvents(1));
        await waitUntilVisible(position);
        const watch = store.watchHead({ after: position });
        const iterator = watch[Symbol.asyncIterator]();
        const seen: bigint[] = [];
        const collecting = (async () => {
          for (let next = await iterator.next(); next.done !== true; next = await iterator.next())
            seen.push(next.value);
        })();
        // Long enough for many polls of a polling store.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const later = await store.append(streamId, newEvents(1), { expectedRevision: 0n });
        const deadline = Date.now() + 10_000;
        while (!(seen.at(-1)! >= later.position) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await watch.unsubscribe();
        await withTimeout(collecting, 2000, 'iteration to end after unsubscribe');
        expect(seen.at(-1)!).toBeGreaterThanOrEqual(later.position);
        expect(seen.every((head) => head > position)).toBe(true);
        expect(isStrictlyIncreasing(seen)).toBe(true);
      });

      it('unsubscribe ends a pending iteration promptly', async () => {
        await expectUnsubscribeEndsIteration(store.watchHead({ after: await store.headPosition() }));
      });
    });

    describe('headPosition', () => {
      it('grows to the position of the last append', async () => {
        const before = await store.headPosition();
        const events = newEvents(2);
        const result = await store.append(uniqueStreamId('head'), events);
        expect(result.position).toBeGreaterThan(before);
        await waitUntilVisible(result.position);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
        // Read from a real position (EventStoreDB refuses positions inside a record, e.g. position - 1).
        const last = await findInLog(before, events[1]!.id);
        expect(last?.position).toBe(result.position);
      });

      it('counts the events after a position, up to a limit', async () => {
        const before = await store.headPosition();
        const result = await store.append(uniqueStreamId('count'), newEvents(3));
        await waitUntilVisible(result.position);
        await waitForEarlierAppends();
        const after = await store.headPosition();
        const counted = await store.countEventsAfter(before, 1000);
        // Our three events and the sentinel.
        expect(counted).toBe((await store.readAll({ after: before, maxCount: 1000 })).length);
        expect(counted).toBeGreaterThanOrEqual(4);
        expect(await store.countEventsAfter(before, 2)).toBe(2);
        expect(await store.countEventsAfter(after, 1000)).toBe(0);
      });

      it('answers ping', async () => {
        expect(await store.ping()).toBe(true);
      });
    });

    describe('data and metadata', () => {
      it('round-trip nested JSON and unicode exactly', async () => {
        const streamId = uniqueStreamId('json');
        const data = {
          seat: { row: 'K', number: 7, tags: ['aisle', null, true, 1.5] },
          holder: 'Zoë Ñúñez — 山田 太郎 🎫',
          nested: { deep: { deeper: { values: [[1, 2], { x: -0.25 }] } } },
          empty: {},
          list: [],
        };
        const metadata = { correlationId: 'c-1', causation: { by: 'tëst' }, emoji: '⏱️' };
        const before = await store.headPosition();
        const withMetadata = newEvent('SeatHeld', data, metadata);
        const withoutMetadata = newEvent('SeatReleased', { seat: 7 });
        await waitUntilVisible((await store.append(streamId, [withMetadata, withoutMetadata])).position);

        const [stored, storedWithout] = await store.readStream(streamId);
        expect(stored).toMatchObject({ id: withMetadata.id, type: 'SeatHeld', streamId, data, metadata });
        expect(stored?.createdAt).toBeInstanceOf(Date);
        expect(storedWithout?.metadata).toEqual({});
        expect(await findInLog(before, withMetadata.id)).toEqual(stored);
      });
    });
  });
}
