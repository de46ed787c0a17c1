/**
 * Every PostgreSQL advisory lock the backend takes, in one place: the keys
 * share one space per server, so two purposes must never pick the same number.
 */
export const ADVISORY_LOCK_KEYS = {
  /** The event store's DDL (event-log-sql.ts), in a transaction. */
  eventStoreMigration: 7_411_003_001,
  /** Which node projects the read model (cluster/advisory-lock-lease.ts), for a session. */
  projectionLease: 7_411_003_002,
  /** The read model's TypeORM migrations (storage.module.ts), for a session. */
  readModelMigration: 7_411_003_003,
} as const;
