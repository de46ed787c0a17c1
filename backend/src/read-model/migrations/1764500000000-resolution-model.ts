import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read model v2: one resolution model decides who competes, the candidates,
 * the winner and each loser's reason (reservations/domain/resolution); the
 * projection persists it and adds the lab's truth-based scoring. The seat
 * analysis of v1 no longer means the same thing, so the read model is
 * emptied and rebuilt from the log (the runner starts again from position 0).
 */
export class ResolutionModel1764500000000 implements MigrationInterface {
  name = 'ResolutionModel1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`TRUNCATE rm_seats, rm_attempts, rm_conflicts, rm_clock_history`);
    await queryRunner.query(`DELETE FROM projection_checkpoints`);
    await queryRunner.query(`
      ALTER TABLE rm_attempts
        ADD COLUMN sync_epoch integer,
        ADD COLUMN revoked boolean NOT NULL DEFAULT false,
        ADD COLUMN out_of_bound boolean NOT NULL DEFAULT false,
        ADD COLUMN bound_violated boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`CREATE INDEX rm_attempts_server_epoch ON rm_attempts (run_id, server_id, sync_epoch)`);
    await queryRunner.query(`
      ALTER TABLE rm_seats
        ADD COLUMN window_ms integer,
        ADD COLUMN closes_at_ms double precision,
        ADD COLUMN considered_up_to bigint,
        ADD COLUMN competing_count integer NOT NULL DEFAULT 0,
        ADD COLUMN candidates_count integer NOT NULL DEFAULT 0,
        ADD COLUMN authoritative_attempt_id uuid,
        ADD COLUMN authoritative_decided_by text,
        ADD COLUMN holder_verdict text,
        ADD COLUMN violated_attempts integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      CREATE TABLE rm_runs (
        run_id text PRIMARY KEY,
        conflict_window_ms integer NOT NULL,
        started_position bigint NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE rm_clock_steps (
        position bigint PRIMARY KEY,
        run_id text NOT NULL,
        server_id text NOT NULL,
        suspect_sync_epoch integer NOT NULL,
        jump_ms double precision NOT NULL,
        allowed_ms double precision NOT NULL,
        reference_time_ms double precision NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX rm_clock_steps_server ON rm_clock_steps (run_id, server_id, suspect_sync_epoch)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rm_clock_steps`);
    await queryRunner.query(`DROP TABLE rm_runs`);
    await queryRunner.query(`
      ALTER TABLE rm_seats DROP COLUMN window_ms, DROP COLUMN closes_at_ms, DROP COLUMN considered_up_to,
        DROP COLUMN competing_count, DROP COLUMN candidates_count, DROP COLUMN authoritative_attempt_id,
        DROP COLUMN authoritative_decided_by, DROP COLUMN holder_verdict, DROP COLUMN violated_attempts`);
    await queryRunner.query(`DROP INDEX rm_attempts_server_epoch`);
    await queryRunner.query(`
      ALTER TABLE rm_attempts DROP COLUMN sync_epoch, DROP COLUMN revoked, DROP COLUMN out_of_bound,
        DROP COLUMN bound_violated`);
  }
}
