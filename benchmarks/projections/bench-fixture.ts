/** A fresh event store + read model for one measurement, and fast ways to fill its log. */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../backend/src/event-store/event-store.port';
import { openReadModelFixture, type ReadModelFixture } from '../../backend/src/testing/read-model-fixture';
import type { BenchTarget } from './bench-databases';
import type { WorkloadEvent } from './seeded-workload';

export const withFixture = async <T>(
  target: BenchTarget,
  body: (fixture: ReadModelFixture) => Promise<T>,
): Promise<T> => {
  const fixture = await openReadModelFixture(await target.open());
  try {
    return await body(fixture);
  } finally {
    await fixture.dispose();
  }
};

/** One append per event, as booking servers do, from `writers` concurrent writers; returns events/s. */
export const appendOneByOne = async (
  store: EventStore,
  events: readonly WorkloadEvent[],
  writers: number,
): Promise<number> => {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < events.length) {
        const event = events[next++]!;
        await store.append(event.streamId, [{ id: randomUUID(), type: event.type, data: event.data }]);
      }
    }),
  );
  return events.length / ((performance.now() - started) / 1000);
};

/** Setup only: many events per append, so a 100,000-event log loads in seconds. */
export const appendInChunks = async (
  store: EventStore,
  events: readonly WorkloadEvent[],
  chunk = 1000,
): Promise<void> => {
  for (let start = 0; start < events.length; start += chunk) {
    const slice = events.slice(start, start + chunk);
    await store.append(
      `bench-load-${start / chunk}`,
      slice.map((event) => ({ id: randomUUID(), type: event.type, data: event.data })),
    );
  }
};
