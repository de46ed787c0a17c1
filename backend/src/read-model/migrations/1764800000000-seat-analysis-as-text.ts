import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * rm_seats.analysis is the seat projection's own state: only the projection
 * reads it, whole, and no query looks inside it. As jsonb, every write parsed
 * its ~7 kB of JSON and every load printed it again, which on PGlite's WASM
 * backend was the largest cost of a rebuild. As text it is stored and
 * returned as sent (the projection encodes and decodes the JSON itself).
 */
export class SeatAnalysisAsText1764800000000 implements MigrationInterface {
  name = 'SeatAnalysisAsText1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rm_seats ALTER COLUMN analysis TYPE text USING analysis::text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rm_seats ALTER COLUMN analysis TYPE jsonb USING analysis::jsonb`);
  }
}
