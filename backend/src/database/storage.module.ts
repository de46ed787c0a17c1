/**
 * Opens the stores in the documented order: EVENTSTORE_CONNECTION_STRING
 * (EventStoreDB) → DATABASE_URL (PostgreSQL) → embedded PGlite. The read
 * model always lives in Postgres (the server, or the embedded PGlite).
 */
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/environment';
import type { EventStore } from '../event-store/event-store.port';
import { guardPool } from '../event-store/postgres/client-error-guard';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store';
import { createReadModelDataSource } from '../read-model/data-source';
import { EVENT_STORE, POSTGRES_CONNECTION, READ_MODEL_DATA_SOURCE } from '../reservations/application/tokens';
import { AppendAnnouncer, APPEND_CHANNEL } from '../cluster/append-announcer';
import { ADVISORY_LOCK_KEYS } from './advisory-lock-keys';
import { crossProcessPollMs } from './cross-process-poll';
import { openPostgresConnection, type PostgresConnection } from './postgres-connection';

const logger = new Logger('Storage');
/** Nodes starting together on an empty database migrate one after the other, never racing. */
const migrateUnderLock = async (dataSource: DataSource): Promise<void> => {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEYS.readModelMigration]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEYS.readModelMigration]).catch(() => undefined);
    await runner.release();
  }
};

@Global()
@Module({
  providers: [
    {
      provide: POSTGRES_CONNECTION,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<PostgresConnection> => {
        const connection = await openPostgresConnection({
          databaseUrl: config.DATABASE_URL,
          pgliteDataDir: config.PGLITE_DATA_DIR,
        });
        logger.log(`read model on ${connection.kind} (${connection.location})`);
        return connection;
      },
    },
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG, POSTGRES_CONNECTION],
      useFactory: async (config: AppConfig, connection: PostgresConnection): Promise<EventStore> => {
        if (config.EVENTSTORE_CONNECTION_STRING) {
          logger.log('event store: EventStoreDB');
          // Loaded only here: the client and its gRPC and protobuf code are ~1.2 MB of source an embedded lab never runs.
          const { EventStoreDbEventStore } = await import('../event-store/eventstoredb/eventstoredb-event-store');
          return EventStoreDbEventStore.fromConnectionString(config.EVENTSTORE_CONNECTION_STRING);
        }
        const pool = new Pool({
          connectionString: connection.connectionString,
          max: 10,
          connectionTimeoutMillis: 5000,
          // PGlite serves every connection in its one session, so the statements a client prepared
          // (named per client: prepared-query.ts) outlive it: clients closed when idle and opened
          // again by the next burst would pile them up. Its few clients stay open instead.
          ...(connection.kind === 'pglite' && { idleTimeoutMillis: 0 }),
        });
        const announcer =
          config.CLUSTER_MODE === 'on'
            ? new AppendAnnouncer(
                () => pool.query('SELECT pg_notify($1, NULL)', [APPEND_CHANNEL]),
                (error) =>
                  logger.warn(`append announcement: ${error instanceof Error ? error.message : String(error)}`),
              )
            : null;
        const store = new PostgresEventStore({
          pool,
          kind: connection.kind,
          pollIntervalMs: crossProcessPollMs(connection.kind),
          ...(config.APPEND_GROUP_COMMIT === 'off' && { groupCommitInFlight: 0 }),
          ...(announcer && { afterAppend: () => announcer.announce() }),
          ownsPool: true,
          onConnectionError: (error) => logger.warn(`event store connection: ${error.message}`),
        });
        await store.migrate();
        logger.log(`event store: ${connection.kind} (${connection.location})`);
        return store;
      },
    },
    {
      provide: READ_MODEL_DATA_SOURCE,
      inject: [POSTGRES_CONNECTION],
      useFactory: async (connection: PostgresConnection): Promise<DataSource> => {
        const dataSource = createReadModelDataSource(connection.connectionString);
        await dataSource.initialize();
        await migrateUnderLock(dataSource);
        // TypeORM's query runners listen on the clients they hold; this covers every other moment of a client's life.
        const { master } = dataSource.driver as unknown as { master?: Pool };
        if (master) guardPool(master, (error) => logger.warn(`read model connection: ${error.message}`));
        return dataSource;
      },
    },
  ],
  exports: [POSTGRES_CONNECTION, EVENT_STORE, READ_MODEL_DATA_SOURCE],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(POSTGRES_CONNECTION) private readonly connection: PostgresConnection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close().catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy().catch(() => undefined);
    await this.connection.close();
  }
}
