/**
 * Where the Postgres side of the lab lives: a real server named by
 * DATABASE_URL, or the embedded PGlite default under PGLITE_DATA_DIR.
 */
import { startEmbeddedPostgres } from '../event-store/embedded/embedded-postgres';

export interface PostgresConnection {
  readonly kind: 'postgres' | 'pglite';
  readonly connectionString: string;
  /** Where the data lives, for /health and the logs (never the password). */
  readonly location: string;
  close(): Promise<void>;
}

export const openPostgresConnection = async (options: {
  readonly databaseUrl: string | undefined;
  readonly pgliteDataDir: string;
}): Promise<PostgresConnection> => {
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    return {
      kind: 'postgres',
      connectionString: options.databaseUrl,
      // A Unix-socket host is a percent-encoded directory (`%2Fvar%2Frun%2Fpostgresql`).
      location: `${decodeURIComponent(url.hostname)}:${url.port || 5432}${url.pathname}`,
      close: async () => undefined,
    };
  }
  const dataDir = options.pgliteDataDir === ':memory:' ? undefined : options.pgliteDataDir;
  const embedded = await startEmbeddedPostgres({ dataDir, maxConnections: 40 });
  return {
    kind: 'pglite',
    connectionString: embedded.connectionString,
    location: dataDir ? `pglite:${dataDir}` : 'pglite:memory',
    close: () => embedded.close(),
  };
};
