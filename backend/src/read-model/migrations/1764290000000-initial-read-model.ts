import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read model v1: checkpoints, seats, attempts, conflicts. run_id '' is the live lab. */
export class InitialReadModel1764290000000 implements MigrationInterface {
  name = 'InitialReadModel1764290000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE projection_checkpoints (
        name text PRIMARY KEY,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE rm_seats (
        run_id text NOT NULL DEFAULT '',
        seat_id integer NOT NULL,
        attempts_count integer NOT NULL DEFAULT 0,
        first_attempt_reference_ms double precision,
        holder_attempt_id uuid,
        holder_customer_name text,
        holder_server_id text,
        decided_by text,
        assigned_position bigint,
        winner_server_clock uuid,
        winner_ntp_corrected uuid,
        winner_log_order uuid,
        winner_hlc uuid,
        winner_truth uuid,
        conflict_kinds text[] NOT NULL DEFAULT '{}',
        updated_position bigint NOT NULL,
        PRIMARY KEY (run_id, seat_id)
      )`);
    await queryRunner.query(`
      CREATE INDEX rm_seats_unsettled ON rm_seats (first_attempt_reference_ms)
        WHERE holder_attempt_id IS NULL`);
    await queryRunner.query(`
      CREATE TABLE rm_attempts (
        attempt_id uuid PRIMARY KEY,
        run_id text NOT NULL DEFAULT '',
        seat_id integer NOT NULL,
        customer_name text NOT NULL,
        server_id text NOT NULL,
        local_decision text NOT NULL,
        outcome text NOT NULL DEFAULT 'pending',
        outcome_reason text,
        server_time_ms double precision NOT NULL,
        reference_time_ms double precision NOT NULL,
        estimated_offset_ms double precision NOT NULL,
        error_bound_ms double precision NOT NULL,
        ntp_corrected_time_ms double precision NOT NULL,
        hlc text NOT NULL,
        log_position bigint NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX rm_attempts_seat ON rm_attempts (run_id, seat_id)`);
    await queryRunner.query(`CREATE INDEX rm_attempts_position ON rm_attempts (log_position)`);
    await queryRunner.query(`
      CREATE TABLE rm_conflicts (
        id text PRIMARY KEY,
        run_id text NOT NULL DEFAULT '',
        seat_id integer NOT NULL,
        kinds text[] NOT NULL,
        server_ids text[] NOT NULL,
        attempts_count integer NOT NULL,
        witness jsonb NOT NULL,
        first_detected_position bigint NOT NULL,
        updated_position bigint NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX rm_conflicts_seat ON rm_conflicts (run_id, seat_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rm_conflicts`);
    await queryRunner.query(`DROP TABLE rm_attempts`);
    await queryRunner.query(`DROP TABLE rm_seats`);
    await queryRunner.query(`DROP TABLE projection_checkpoints`);
  }
}
