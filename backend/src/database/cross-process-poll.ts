import type { PostgresConnection } from './postgres-connection';

/**
 * How often the log subscription looks for appends made by other processes.
 * This process's own appends wake it at once, and cluster nodes announce
 * theirs over NOTIFY (cluster/append-announcer.ts), so the poll is only a
 * safety net: an idle lab polling every 20 ms cost 13 % of a core (issue 15).
 * PGlite's data directory is locked to this process, so nobody else appends
 * there; a PostgreSQL server could take a stray writer (a script appending
 * directly, a node whose announcement was lost), seen within a second.
 */
export const crossProcessPollMs = (kind: PostgresConnection['kind']): number => (kind === 'pglite' ? 10_000 : 1_000);
