import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What every node of a cluster must see and the log does not hold: the
 * nodes and the booking servers each hosts (kept fresh by heartbeats), and
 * the read-model rebuilds (replays) with their progress. Operational state,
 * not facts of the lab: a rebuild leaves these tables alone.
 */
export class ClusterState1764700000000 implements MigrationInterface {
  name = 'ClusterState1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE cluster_nodes (
        node_name text PRIMARY KEY,
        node_url text,
        hosted text[] NOT NULL,
        projects boolean NOT NULL DEFAULT false,
        started_at timestamptz NOT NULL DEFAULT now(),
        seen_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE replay_jobs (
        id uuid PRIMARY KEY,
        run_id text,
        status text NOT NULL,
        processed_events bigint NOT NULL,
        position numeric(20) NOT NULL,
        first_position numeric(20) NOT NULL,
        head_position numeric(20) NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        error text,
        node_name text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE replay_jobs`);
    await queryRunner.query(`DROP TABLE cluster_nodes`);
  }
}
