import { randomUUID } from 'node:crypto';
import type { AllSubscription, EventStore, EventToAppend, JsonObject, RecordedEvent } from '../event-store.port';

/** Stream ids are unique per test: a store may be shared by several tests and files. */
export function uniqueStreamId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function newEvent(type: string, data: JsonObject = {}, metadata?: JsonObject): EventToAppend {
  return metadata === undefined ? { id: randomUUID(), type, data } : { id: randomUUID(), type, data, metadata };
}

export function newEvents(count: number, type = 'Counted'): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, { index }));
}

/** Resolves with the rejection of `promise` (or fails when it resolves), for error assertions on shape. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/**
 * Reads from a subscription until `count` events that match `keep` arrived.
 * Fails after `timeoutMs` instead of hanging the suite.
 */
export async function takeFromSubscription(
  subscription: AllSubscription,
  count: number,
  keep: (event: RecordedEvent) => boolean,
  timeoutMs = 10_000,
): Promise<RecordedEvent[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  const taken: RecordedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (taken.length < count) {
    const next = await withTimeout(iterator.next(), deadline - Date.now(), `took ${taken.length}/${count} events`);
    if (next.done === true) throw new Error(`subscription ended after ${taken.length}/${count} events`);
    if (keep(next.value)) taken.push(next.value);
  }
  return taken;
}

/** Reads heads from a watch's iterator until one reaches `target`; fails after `timeoutMs` instead of hanging the suite. */
export async function headsUntil(
  iterator: AsyncIterator<bigint>,
  target: bigint,
  timeoutMs = 10_000,
): Promise<bigint[]> {
  const heads: bigint[] = [];
  const deadline = Date.now() + timeoutMs;
  while (heads.at(-1) === undefined || heads.at(-1)! < target) {
    const next = await withTimeout(
      iterator.next(),
      deadline - Date.now(),
      `a head at ${target} (saw ${heads.join(', ')})`,
    );
    if (next.done === true) throw new Error(`the watch ended before a head at ${target}`);
    heads.push(next.value);
  }
  return heads;
}

/** A pending `next()` of a subscription or watch resolves as done soon after unsubscribe(). */
export async function expectUnsubscribeEndsIteration(
  subscription: AsyncIterable<unknown> & { unsubscribe(): Promise<void> },
): Promise<void> {
  const iterator = subscription[Symbol.asyncIterator]();
  const pending = (async () => {
    // Drain whatever other tests may append until the end arrives.
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next());
  })();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const unsubscribedAt = Date.now();
  await subscription.unsubscribe();
  await withTimeout(pending, 2000, 'iteration to end after unsubscribe');
  expect(Date.now() - unsubscribedAt).toBeLessThan(2000);
}

export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)), Math.max(timeoutMs, 0));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function isStrictlyIncreasing(values: readonly bigint[]): boolean {
  return values.every((value, index) => index === 0 || value > (values[index - 1] as bigint));
}

/**
 * Waits until the global log shows everything up to `position`. On a
 * PostgreSQL server the log shows an event only once every older transaction
 * of the whole server has ended (event-log-sql.ts), and parallel suites keep
 * transactions open in their own databases.
 */
export async function waitUntilVisible(store: EventStore, position: bigint, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await store.headPosition()) < position) {
    if (Date.now() > deadline) throw new Error(`position ${position} not visible after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
