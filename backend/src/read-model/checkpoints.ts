/** The projection checkpoint rows: one per runner, written in the same transaction as the rows they cover. */
import type { EntityManager } from 'typeorm';

interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export const readCheckpoint = async (db: Queryable, name: string): Promise<bigint> => {
  const rows = (await db.query(`SELECT position FROM projection_checkpoints WHERE name = $1`, [name])) as {
    position: string;
  }[];
  return rows[0] ? BigInt(rows[0].position) : 0n;
};

/** Creates the checkpoint row if needed and locks it for this transaction, in one round trip. */
export const lockCheckpoint = async (manager: EntityManager, name: string): Promise<bigint> => {
  // The no-op DO UPDATE takes the row lock (like FOR UPDATE) and RETURNING gives the stored position.
  const rows: { position: string }[] = await manager.query(
    `INSERT INTO projection_checkpoints (name, position) VALUES ($1, 0)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
     RETURNING position`,
    [name],
  );
  return BigInt(rows[0]!.position);
};

export const saveCheckpoint = async (manager: EntityManager, name: string, position: bigint): Promise<void> => {
  await manager.query(
    `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
    [name, position.toString()],
  );
};
