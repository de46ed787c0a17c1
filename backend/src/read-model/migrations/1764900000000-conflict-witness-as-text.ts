import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * rm_conflicts.witness goes to the API whole and no query looks inside it. As
 * jsonb, every write parsed its ~4 kB of JSON on PGlite's WASM backend (a
 * conflict row cost ~250 µs to insert, a seat row with its analysis as text
 * ~110 µs) and every read printed it again for the driver to parse. As text it
 * is stored and returned as sent, like rm_seats.analysis (1764800000000).
 */
export class ConflictWitnessAsText1764900000000 implements MigrationInterface {
  name = 'ConflictWitnessAsText1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rm_conflicts ALTER COLUMN witness TYPE text USING witness::text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rm_conflicts ALTER COLUMN witness TYPE jsonb USING witness::jsonb`);
  }
}
