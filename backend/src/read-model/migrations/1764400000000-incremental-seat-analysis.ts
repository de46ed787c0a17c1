import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seat projection keeps each seat's conflict analysis incrementally
 * (rm_seats.analysis, see seat-analysis-state.ts) instead of re-reading all
 * of a seat's attempts on every batch. When the NTP-corrected winner changes
 * it reads only the attempts in a corrected-time window, hence the index; it
 * also serves every (run_id, seat_id) lookup, so the narrower index goes.
 * Seats projected before this migration have no analysis yet: the projection
 * computes it from their attempts the next time it touches them.
 */
export class IncrementalSeatAnalysis1764400000000 implements MigrationInterface {
  name = 'IncrementalSeatAnalysis1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rm_seats ADD COLUMN analysis jsonb`);
    await queryRunner.query(
      `CREATE INDEX rm_attempts_seat_corrected ON rm_attempts (run_id, seat_id, ntp_corrected_time_ms)`,
    );
    await queryRunner.query(`DROP INDEX rm_attempts_seat`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX rm_attempts_seat ON rm_attempts (run_id, seat_id)`);
    await queryRunner.query(`DROP INDEX rm_attempts_seat_corrected`);
    await queryRunner.query(`ALTER TABLE rm_seats DROP COLUMN analysis`);
  }
}
