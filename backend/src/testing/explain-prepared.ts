import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';

/**
 * The plan PostgreSQL makes for `statement` run as a prepared statement, with
 * the plan cache forced to a generic plan (what it keeps after five runs) or
 * to a custom one (what the first five runs get), for the given arguments
 * (SQL literals, one per parameter type).
 */
export const explainPrepared = async (
  client: PoolClient,
  statement: string,
  {
    types,
    mode,
    args,
  }: { readonly types: string; readonly mode: 'generic' | 'custom'; readonly args: readonly string[] },
): Promise<string> => {
  const name = `plan_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await client.query(`PREPARE ${name}${types ? `(${types})` : ''} AS ${statement}`);
  await client.query(`SET plan_cache_mode = force_${mode}_plan`);
  try {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN EXECUTE ${name}${args.length > 0 ? `(${args.join(', ')})` : ''}`,
    );
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await client.query('RESET plan_cache_mode');
    await client.query(`DEALLOCATE ${name}`);
  }
};
