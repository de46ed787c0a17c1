import type { DataSource } from 'typeorm';
import type { ClockHistoryEntryResponse } from '../http/clock.responses';

interface HistoryRow {
  position: string;
  server_id: string;
  kind: string;
  reference_time_ms: number;
  true_offset_ms: number;
  estimated_offset_ms: number | null;
  error_bound_ms: number | null;
  theta_ms: number | null;
  delay_ms: number | null;
  drift_ppm: number | null;
  scenario: string | null;
}

/** The newest `limit` entries of the live lab's clock history, returned oldest first (chart order). */
export const queryClockHistory = async (
  dataSource: DataSource,
  filter: { serverId?: string; limit: number },
): Promise<ClockHistoryEntryResponse[]> => {
  const parameters: unknown[] = [];
  let where = `run_id = ''`;
  if (filter.serverId) {
    parameters.push(filter.serverId);
    where += ` AND server_id = $1`;
  }
  const rows: HistoryRow[] = await dataSource.query(
    `SELECT * FROM (SELECT * FROM rm_clock_history WHERE ${where} ORDER BY position DESC LIMIT ${filter.limit}) newest
      ORDER BY position`,
    parameters,
  );
  return rows.map((row) => ({
    server_id: row.server_id,
    kind: row.kind,
    at: new Date(row.reference_time_ms).toISOString(),
    reference_time_ms: row.reference_time_ms,
    true_offset_ms: row.true_offset_ms,
    estimated_offset_ms: row.estimated_offset_ms,
    error_bound_ms: row.error_bound_ms,
    offset_ms: row.theta_ms,
    delay_ms: row.delay_ms,
    drift_ppm: row.drift_ppm,
    scenario: row.scenario,
    log_position: row.position,
  }));
};
