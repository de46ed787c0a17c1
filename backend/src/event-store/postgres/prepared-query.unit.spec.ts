/**
 * queryPrepared's answer to deadlocks that do not go away. The real-server test
 * (postgres-event-store.int.spec.ts) stages one deadlock; three in a row cannot be
 * staged reliably on a server, so here the pg client is a stand-in that fails
 * with PostgreSQL's SQLSTATE.
 */
import type { Pool, PoolClient } from 'pg';
import { EventStoreUnavailableError } from '../event-store.port';
import { queryPrepared } from './prepared-query';

const failingWith = (code: string) => {
  const error = Object.assign(new Error(code === '40P01' ? 'deadlock detected' : 'unique violation'), { code });
  const client = { query: jest.fn().mockRejectedValue(error), release: jest.fn(), on: jest.fn() };
  const pool = { connect: jest.fn().mockResolvedValue(client as unknown as PoolClient) };
  return { client, pool: pool as unknown as Pool, error };
};

describe('queryPrepared when the server keeps breaking deadlocks', () => {
  it('given a deadlock on every try, when sent, then it is tried three times and answers unavailable (not a raw 40P01)', async () => {
    const { client, pool, error } = failingWith('40P01');
    const outcome = await queryPrepared(pool, 'SELECT 1', []).catch((caught: unknown) => caught);
    expect(outcome).toBeInstanceOf(EventStoreUnavailableError);
    expect((outcome as EventStoreUnavailableError).message).toMatch(
      /deadlocked .* 3 times in a row and stored nothing/,
    );
    expect((outcome as EventStoreUnavailableError).cause).toBe(error);
    expect(client.query).toHaveBeenCalledTimes(3);
    // A deadlock leaves the connection sound: it is handed back to the pool, not destroyed.
    expect(client.release.mock.calls).toEqual([[undefined], [undefined], [undefined]]);
  });

  it('given another SQL error, when sent, then it fails at once with that error', async () => {
    const { client, pool, error } = failingWith('23505');
    await expect(queryPrepared(pool, 'SELECT 1', [])).rejects.toBe(error);
    expect(client.query).toHaveBeenCalledTimes(1);
  });
});
