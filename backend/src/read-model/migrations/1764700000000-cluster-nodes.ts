import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The nodes of a cluster and the booking servers each hosts, kept fresh by
 * each node's heartbeat. Operational state, not a fact of the lab: it is not
 * in the log and a rebuild leaves it alone.
 */
export class ClusterNodes1764700000000 implements MigrationInterface {
  name = 'ClusterNodes1764700000000';

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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE cluster_nodes`);
  }
}
