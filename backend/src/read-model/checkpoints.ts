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

/**
 * Moves the checkpoint from `from` to `to` if it still stands at `from`, and
 * locks it for this transaction, in one round trip. False when it moved: the
 * caller then applies nothing on the strength of what it read before.
 */
export const advanceCheckpointFrom = async (
  manager: EntityManager,
  name: string,
  from: bigint,
  to: bigint,
): Promise<boolean> => {
  const parameters = [name, from.toString(), to.toString()];
  // Only a runner at 0 may create the row: a missing row for a later position means someone reset it.
  const rows: unknown[] = await manager.query(
    from === 0n
      ? `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, $3, now())
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()
           WHERE projection_checkpoints.position = $2::bigint
         RETURNING position`
      : // As a SELECT: TypeORM answers a bare UPDATE with [rows, count], not rows.
        `WITH moved AS (UPDATE projection_checkpoints SET position = $3, updated_at = now()
            WHERE name = $1 AND position = $2::bigint RETURNING position)
         SELECT position FROM moved`,
    parameters,
  );
  return rows.length > 0;
};
