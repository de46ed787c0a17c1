/**
 * KurrentDB (EventStoreDB's new name) documents `kurrentdb://` and
 * `kurrentdb+discover://` connection strings; @eventstore/db-client 6 knows
 * only the `esdb` schemes, though the rest of the string means the same.
 */
export const toEsdbConnectionString = (connectionString: string): string =>
  connectionString.replace(/^kurrentdb(\+discover)?:\/\//i, (_, discover: string | undefined) =>
    discover ? 'esdb+discover://' : 'esdb://',
  );
