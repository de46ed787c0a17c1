import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Clock configurations and NTP syncs per booking server, in log order. */
export class ClockHistory1764300000000 implements MigrationInterface {
  name = 'ClockHistory1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE rm_clock_history (
        position bigint PRIMARY KEY,
        run_id text NOT NULL DEFAULT '',
        server_id text NOT NULL,
        kind text NOT NULL,
        reference_time_ms double precision NOT NULL,
        true_offset_ms double precision NOT NULL,
        estimated_offset_ms double precision,
        error_bound_ms double precision,
        theta_ms double precision,
        delay_ms double precision,
        drift_ppm double precision,
        scenario text
      )`);
    await queryRunner.query(`CREATE INDEX rm_clock_history_server ON rm_clock_history (run_id, server_id, position)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rm_clock_history`);
  }
}
