import { Client } from 'pg';

/** One statement on a connection of its own, opened and closed around it (tests that probe a server). */
export const queryOnce = async (connectionString: string, sql: string): Promise<unknown[]> => {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
};
