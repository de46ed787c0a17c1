import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sessions of the live lab (a reset starts one; reservations/domain/lab-session.ts). */
export class LabSessions1764600000000 implements MigrationInterface {
  name = 'LabSessions1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE rm_lab_sessions (
        session_number integer PRIMARY KEY,
        session_id text NOT NULL UNIQUE,
        started_at_ms double precision,
        ended_at_ms double precision,
        started_position bigint NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rm_lab_sessions`);
  }
}
