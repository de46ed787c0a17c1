import type { z } from 'zod';

/**
 * Cluster mode needs what every node can share: the read model (and, unless
 * EventStoreDB holds the log, the log too) on a PostgreSQL server. The
 * embedded PGlite belongs to one process (its data directory is locked).
 */
export const checkClusterSettings = (
  settings: {
    readonly CLUSTER_MODE: 'on' | 'off';
    readonly DATABASE_URL?: string | undefined;
    readonly BOOKING_SERVERS: number;
    readonly BOOKING_SERVERS_HOSTED?: string | undefined;
  },
  context: z.RefinementCtx,
): void => {
  if (settings.CLUSTER_MODE === 'on' && settings.DATABASE_URL === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['DATABASE_URL'],
      message: 'must be set when CLUSTER_MODE=on: every node shares the read model on one PostgreSQL server',
    });
  }
  if (settings.BOOKING_SERVERS_HOSTED === undefined) return;
  if (settings.CLUSTER_MODE !== 'on') {
    context.addIssue({
      code: 'custom',
      path: ['BOOKING_SERVERS_HOSTED'],
      message: 'only applies with CLUSTER_MODE=on (a single node hosts every booking server)',
    });
    return;
  }
  const unknown = settings.BOOKING_SERVERS_HOSTED.split(',')
    .map((id) => id.trim())
    .filter((id) => Number(id.slice('server-'.length)) > settings.BOOKING_SERVERS);
  if (unknown.length > 0) {
    context.addIssue({
      code: 'custom',
      path: ['BOOKING_SERVERS_HOSTED'],
      message: `${unknown.join(', ')} not among the ${settings.BOOKING_SERVERS} booking servers (BOOKING_SERVERS)`,
    });
  }
};
