/** A real event store and read model on a fresh database, with the projection runner driven by hand. */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { waitUntilVisible } from '../event-store/contract/contract-helpers';
import type { EventStore, EventToAppend, JsonObject } from '../event-store/event-store.port';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store';
import { createReadModelDataSource } from '../read-model/data-source';
import type { Projection } from '../read-model/projection';
import { ProjectionRunner, type ProjectionRunnerOptions } from '../read-model/projection-runner';
import { SeatProjection } from '../reservations/projections/seat-projection';
import type { TestDatabase } from './test-databases';

export interface ReadModelFixture {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  /** The default runner; replaced by reset(). */
  runner: ProjectionRunner;
  readonly notices: string[];
  append(streamId: string, events: readonly { type: string; data: JsonObject }[]): Promise<void>;
  newRunner(projections?: readonly Projection[], options?: ProjectionRunnerOptions): ProjectionRunner;
  query<T>(sql: string, parameters?: unknown[]): Promise<T[]>;
  /** Empties the log and the read model and gives a fresh runner: cheaper than a new database per test. */
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

const VISIBILITY_TIMEOUT_MS = 30_000;

export const openReadModelFixture = async (
  database: TestDatabase,
  projections: readonly Projection[] = [new SeatProjection()],
): Promise<ReadModelFixture> => {
  const pool = new Pool({ connectionString: database.connectionString, max: 5 });
  const store = new PostgresEventStore({ pool, kind: database.kind, pollIntervalMs: 10 });
  await store.migrate();
  const dataSource = createReadModelDataSource(database.connectionString, 5);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const notices: string[] = [];
  const newRunner = (list: readonly Projection[] = projections, options: ProjectionRunnerOptions = {}) =>
    new ProjectionRunner(store, dataSource, list, { onNotice: (notice) => notices.push(notice), ...options });
  const fixture: ReadModelFixture = {
    store,
    dataSource,
    runner: newRunner(),
    notices,
    newRunner,
    append: async (streamId, events) => {
      const toAppend: EventToAppend[] = events.map((event) => ({
        id: randomUUID(),
        type: event.type,
        data: event.data,
      }));
      const { position } = await store.append(streamId, toAppend);
      // Parallel suites' transactions on the same server can delay it: a catch-up right away could find nothing.
      await waitUntilVisible(store, position, VISIBILITY_TIMEOUT_MS);
    },
    query: (sql, parameters = []) => dataSource.query(sql, parameters),
    reset: async () => {
      await fixture.runner.stop();
      await dataSource.query(`TRUNCATE events, rm_seats, rm_attempts, rm_conflicts, projection_checkpoints`);
      notices.length = 0;
      fixture.runner = newRunner();
    },
    dispose: async () => {
      await fixture.runner.stop();
      await store.close();
      await pool.end();
      await dataSource.destroy();
      await database.dispose();
    },
  };
  return fixture;
};
