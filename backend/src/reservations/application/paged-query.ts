/** One page of a read-model table plus the total count, under optional equality-style filters. */
import type { DataSource } from 'typeorm';

/** A condition with one `?` placeholder; filters whose value is undefined are left out. */
export type Filter = readonly [sql: string, value: unknown];

export interface PageRequest {
  /** A table name from the code, never from input. */
  readonly table: string;
  readonly filters: readonly Filter[];
  /** An ORDER BY list from the code, never from input. */
  readonly orderBy: string;
  readonly limit: number;
  readonly offset: number;
}

export const queryPage = async <Row>(
  dataSource: DataSource,
  request: PageRequest,
): Promise<{ rows: Row[]; total: number }> => {
  const parameters: unknown[] = [];
  const conditions = request.filters
    .filter(([, value]) => value !== undefined)
    .map(([sql, value]) => {
      parameters.push(value);
      return sql.replace('?', `$${parameters.length}`);
    });
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const [{ total }] = (await dataSource.query(
    `SELECT count(*)::int AS total FROM ${request.table} ${where}`,
    parameters,
  )) as [{ total: number }];
  // limit and offset are validated integers (the query DTOs bound them).
  const rows: Row[] = await dataSource.query(
    `SELECT * FROM ${request.table} ${where} ORDER BY ${request.orderBy} LIMIT ${request.limit} OFFSET ${request.offset}`,
    parameters,
  );
  return { rows, total };
};
