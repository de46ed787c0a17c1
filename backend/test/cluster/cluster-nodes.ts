/** Three backend OS processes as one cluster on a real PostgreSQL database, and the probes the cluster tests use. */
import { Client } from 'pg';
import { operatorHeadersFor } from '../app-harness';
import { startBackendProcess, type BackendProcess } from '../faults/backend-process';

export interface ClusterNode {
  readonly name: string;
  readonly hosted: readonly string[];
  readonly process: BackendProcess;
  readonly baseUrl: string;
  operator: Record<string, string>;
}

export const NODE_LAYOUT = [
  { name: 'node-a', hosted: ['server-1', 'server-2'] },
  { name: 'node-b', hosted: ['server-3', 'server-4'] },
  { name: 'node-c', hosted: ['server-5'] },
] as const;

/** Starts every node at once (two or more racing on an empty database is part of the test). */
export const startCluster = async (databaseUrl: string, settings: Record<string, string>): Promise<ClusterNode[]> =>
  Promise.all(
    NODE_LAYOUT.map(async ({ name, hosted }) => {
      const process = await startBackendProcess({
        DATABASE_URL: databaseUrl,
        CLUSTER_MODE: 'on',
        CLUSTER_NODE_NAME: name,
        BOOKING_SERVERS_HOSTED: hosted.join(','),
        ...settings,
      });
      return { name, hosted, process, baseUrl: process.baseUrl, operator: await operatorHeadersFor(process.baseUrl) };
    }),
  );

export const withDatabase = async <T>(url: string, work: (client: Client) => Promise<T>): Promise<T> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/** The node holding the projection lease, as the heartbeat table says (null until one beat tells). */
export const projectingNode = (url: string): Promise<string | null> =>
  withDatabase(url, async (client) => {
    const { rows } = await client.query<{ node_name: string }>(
      `SELECT node_name FROM cluster_nodes WHERE projects AND seen_at > now() - interval '10 seconds'`,
    );
    return rows.length === 1 ? rows[0]!.node_name : null;
  });

export const eventually = async <T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

export interface Acknowledged {
  readonly id: string;
  readonly node: string;
}

/** POSTs attempts with a few in flight at once; returns the acknowledged ones (201). */
export const reserveMany = async (
  requests: readonly { node: ClusterNode; seatId: number; serverId: string; customer: string }[],
  inFlight = 24,
): Promise<{ acknowledged: Acknowledged[]; failed: number }> => {
  const acknowledged: Acknowledged[] = [];
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const request = requests[next++]!;
      try {
        const response = await fetch(`${request.node.baseUrl}/api/reservations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            seat_id: request.seatId,
            customer_name: request.customer,
            server_id: request.serverId,
          }),
        });
        if (response.status === 201) {
          acknowledged.push({ id: ((await response.json()) as { id: string }).id, node: request.node.name });
        } else failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { acknowledged, failed };
};
