import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A real process clock's stamp carries how far its reference ("true") time may itself be off
 * (ClockReading.referenceUncertaintyMs): the scoring widens the bound by it before calling a
 * bound violated. Attempts recorded before had none, as simulated clocks still have none: 0.
 */
export class ReferenceUncertainty1765000000000 implements MigrationInterface {
  name = 'ReferenceUncertainty1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE rm_attempts ADD COLUMN reference_uncertainty_ms double precision NOT NULL DEFAULT 0`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE rm_attempts DROP COLUMN reference_uncertainty_ms`);
  }
}
