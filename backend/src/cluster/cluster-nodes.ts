/**
 * The cluster's nodes as each announces itself: a heartbeat every few
 * seconds into cluster_nodes. A node not seen for three beats is gone. Only
 * in cluster mode; a single process has nothing to announce.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ProjectionRunner } from '../read-model/projection-runner';
import { PROJECTION_RUNNER, READ_MODEL_DATA_SOURCE } from '../reservations/application/tokens';
import { CLUSTER_SETTINGS, type ClusterSettings } from './cluster-settings';

const HEARTBEAT_MS = 3000;
const GONE_AFTER_S = 10;

export interface ClusterNode {
  readonly node_name: string;
  readonly node_url: string | null;
  readonly hosted: readonly string[];
  readonly projects: boolean;
  readonly seen_at: string;
}

@Injectable()
export class ClusterNodes implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClusterNodes.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(CLUSTER_SETTINGS) readonly settings: ClusterSettings,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.enabled) return;
    await this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (!this.settings.enabled) return;
    await this.dataSource
      .query(`DELETE FROM cluster_nodes WHERE node_name = $1`, [this.settings.nodeName])
      .catch(() => undefined);
  }

  /** The nodes seen lately, this one included. */
  async live(): Promise<ClusterNode[]> {
    if (!this.settings.enabled) return [];
    return this.dataSource.query(
      `SELECT node_name, node_url, hosted, projects, seen_at FROM cluster_nodes
        WHERE seen_at > now() - make_interval(secs => $1) ORDER BY node_name`,
      [GONE_AFTER_S],
    );
  }

  /** The live nodes hosting a booking server. */
  async hostsOf(serverId: string): Promise<ClusterNode[]> {
    return (await this.live()).filter((node) => node.hosted.includes(serverId));
  }

  private async beat(): Promise<void> {
    try {
      await this.dataSource.query(
        `INSERT INTO cluster_nodes (node_name, node_url, hosted, projects) VALUES ($1, $2, $3, $4)
         ON CONFLICT (node_name) DO UPDATE
           SET node_url = EXCLUDED.node_url, hosted = EXCLUDED.hosted, projects = EXCLUDED.projects, seen_at = now()`,
        [this.settings.nodeName, this.settings.nodeUrl, this.settings.hosted, this.runner.isLeading],
      );
    } catch (error) {
      this.logger.warn(`cluster heartbeat: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
