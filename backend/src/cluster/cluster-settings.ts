/** What this process is in a cluster: its name, where clients reach it, and the booking servers it hosts. */
import { hostname } from 'node:os';
import type { AppConfig } from '../config/environment';

export interface ClusterSettings {
  readonly enabled: boolean;
  readonly nodeName: string;
  readonly nodeUrl: string | null;
  /** The booking servers whose reservations and syncs this node makes. */
  readonly hosted: readonly string[];
}

export const bookingServerIds = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => `server-${index + 1}`);

export const clusterSettingsOf = (config: AppConfig, allServers: readonly string[]): ClusterSettings => {
  const hosted = config.BOOKING_SERVERS_HOSTED
    ? [...new Set(config.BOOKING_SERVERS_HOSTED.split(',').map((id) => id.trim()))]
    : [...allServers];
  return {
    enabled: config.CLUSTER_MODE === 'on',
    nodeName: config.CLUSTER_NODE_NAME ?? `${hostname()}-${process.pid}`,
    nodeUrl: config.CLUSTER_NODE_URL ?? null,
    hosted: allServers.filter((id) => hosted.includes(id)),
  };
};

export const CLUSTER_SETTINGS = Symbol('CLUSTER_SETTINGS');
