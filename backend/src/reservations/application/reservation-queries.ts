/** Reads of the reservation read model, shaped for the API (snake_case). */
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/environment';
import type { AttemptRow } from '../projections/attempt-row';
import type { ReservationListResponse, ReservationResponse, SeatResponse } from '../http/reservation.responses';
import { queryPage } from './paged-query';
import { READ_MODEL_DATA_SOURCE } from './tokens';

interface SeatRow {
  seat_id: number;
  attempts_count: number;
  holder_attempt_id: string | null;
  holder_customer_name: string | null;
  holder_server_id: string | null;
  decided_by: string | null;
  conflict_kinds: string[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

export const toReservationResponse = (row: AttemptRow): ReservationResponse => ({
  id: row.attempt_id,
  seat_id: row.seat_id,
  customer_name: row.customer_name,
  server_id: row.server_id,
  status: row.local_decision,
  outcome: row.outcome,
  outcome_reason: row.outcome_reason,
  server_time: iso(row.server_time_ms),
  reference_time: iso(row.reference_time_ms),
  ntp_corrected_time: iso(row.ntp_corrected_time_ms),
  error_bound_ms: row.error_bound_ms,
  log_position: row.log_position,
  created_at: iso(row.server_time_ms),
});

const toSeatResponse = (seatId: number, row: SeatRow | undefined): SeatResponse => {
  const taken = Boolean(row?.holder_attempt_id);
  return {
    id: seatId,
    is_available: !taken,
    status: taken ? 'taken' : row && row.attempts_count > 0 ? 'pending' : 'free',
    reservation:
      taken && row
        ? {
            id: row.holder_attempt_id!,
            customer_name: row.holder_customer_name!,
            server_id: row.holder_server_id!,
            decided_by: row.decided_by!,
          }
        : null,
    attempts_count: row?.attempts_count ?? 0,
    conflict_kinds: row?.conflict_kinds ?? [],
  };
};

@Injectable()
export class ReservationQueries {
  constructor(
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async listSeats(): Promise<SeatResponse[]> {
    const rows: SeatRow[] = await this.dataSource.query(
      `SELECT seat_id, attempts_count, holder_attempt_id, holder_customer_name, holder_server_id, decided_by, conflict_kinds
         FROM rm_seats WHERE run_id = '' AND seat_id <= $1`,
      [this.config.MAX_SEATS],
    );
    const bySeat = new Map(rows.map((row) => [row.seat_id, row]));
    return Array.from({ length: this.config.MAX_SEATS }, (_, index) =>
      toSeatResponse(index + 1, bySeat.get(index + 1)),
    );
  }

  async getSeat(seatId: number): Promise<SeatResponse> {
    const rows: SeatRow[] = await this.dataSource.query(
      `SELECT seat_id, attempts_count, holder_attempt_id, holder_customer_name, holder_server_id, decided_by, conflict_kinds
         FROM rm_seats WHERE run_id = '' AND seat_id = $1`,
      [seatId],
    );
    return toSeatResponse(seatId, rows[0]);
  }

  async listReservations(filter: {
    seatId?: number;
    serverId?: string;
    outcome?: string;
    limit: number;
    offset: number;
  }): Promise<ReservationListResponse> {
    const { rows, total } = await queryPage<AttemptRow>(this.dataSource, {
      table: 'rm_attempts',
      filters: [
        ['run_id = ?', ''],
        ['seat_id = ?', filter.seatId],
        ['server_id = ?', filter.serverId],
        ['outcome = ?', filter.outcome],
      ],
      orderBy: 'log_position DESC',
      limit: filter.limit,
      offset: filter.offset,
    });
    return { items: rows.map(toReservationResponse), total, limit: filter.limit, offset: filter.offset };
  }

  async getReservation(attemptId: string): Promise<ReservationResponse | null> {
    const rows: AttemptRow[] = await this.dataSource.query(`SELECT * FROM rm_attempts WHERE attempt_id = $1`, [
      attemptId,
    ]);
    return rows[0] ? toReservationResponse(rows[0]) : null;
  }
}
