/** Reads of conflicts, seat timelines and strategy statistics. */
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { analyseSeat } from '../domain/conflict-analysis';
import { orderAttempts } from '../domain/ordering';
import { ORDERING_STRATEGIES, type OrderingStrategy } from '../domain/seat-events';
import type {
  ConflictListResponse,
  ConflictResponse,
  SeatTimelineResponse,
  StatsResponse,
} from '../http/conflict.responses';
import { toAttemptStamps, type AttemptRow } from '../projections/attempt-row';
import { buildWitness } from '../projections/conflict-witness';
import type { ConflictRow } from '../projections/seat-batch';
import { queryPage } from './paged-query';
import { READ_MODEL_DATA_SOURCE } from './tokens';

const toConflictResponse = (row: ConflictRow): ConflictResponse => ({
  id: row.id,
  run_id: row.run_id,
  seat_id: row.seat_id,
  kinds: row.kinds,
  server_ids: row.server_ids,
  attempts_count: row.attempts_count,
  witness: row.witness,
  detected_position: row.first_detected_position,
});

export interface ConflictFilter {
  readonly kind?: string;
  readonly seatId?: number;
  readonly serverId?: string;
  readonly runId?: string;
  readonly limit: number;
  readonly offset: number;
}

@Injectable()
export class ConflictQueries {
  constructor(@Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async listConflicts(filter: ConflictFilter): Promise<ConflictListResponse> {
    const { rows, total } = await queryPage<ConflictRow>(this.dataSource, {
      table: 'rm_conflicts',
      filters: [
        ['run_id = ?', filter.runId ?? ''],
        ['? = ANY(kinds)', filter.kind || undefined],
        ['seat_id = ?', filter.seatId],
        ['? = ANY(server_ids)', filter.serverId || undefined],
      ],
      orderBy: 'updated_position DESC, id',
      limit: filter.limit,
      offset: filter.offset,
    });
    return { items: rows.map(toConflictResponse), total, limit: filter.limit, offset: filter.offset };
  }

  async getConflict(id: string): Promise<ConflictResponse | null> {
    const rows: ConflictRow[] = await this.dataSource.query(`SELECT * FROM rm_conflicts WHERE id = $1`, [id]);
    return rows[0] ? toConflictResponse(rows[0]) : null;
  }

  async timeline(seatId: number, runId = ''): Promise<SeatTimelineResponse> {
    const rows: AttemptRow[] = await this.dataSource.query(
      `SELECT * FROM rm_attempts WHERE run_id = $1 AND seat_id = $2 ORDER BY log_position`,
      [runId, seatId],
    );
    const attempts = rows.map(toAttemptStamps);
    const analysis = analyseSeat(attempts);
    const witness = analysis ? buildWitness(analysis, attempts) : null;
    const holder = rows.find((row) => row.outcome === 'won');
    return {
      seat_id: seatId,
      attempts: (witness?.attempts ?? []).map((attempt, index) => ({
        ...attempt,
        outcome: rows[index]!.outcome,
        outcome_reason: rows[index]!.outcome_reason,
      })),
      orderings: Object.fromEntries(
        ORDERING_STRATEGIES.map((strategy) => [strategy, orderAttempts(strategy, attempts).map((a) => a.attemptId)]),
      ),
      winners: witness?.winners ?? null,
      authoritative: witness?.authoritative ?? null,
      kinds: analysis ? [...analysis.kinds] : [],
      holder_attempt_id: holder?.attempt_id ?? null,
    };
  }

  async stats(runId = ''): Promise<StatsResponse> {
    const correctColumns = ORDERING_STRATEGIES.map(
      (strategy) =>
        `count(*) FILTER (WHERE attempts_count >= 2 AND winner_${strategy} = winner_truth)::int AS correct_${strategy}`,
    ).join(', ');
    const [seats] = (await this.dataSource.query(
      `SELECT count(*)::int AS seats_with_attempts,
              count(*) FILTER (WHERE holder_attempt_id IS NOT NULL)::int AS settled_seats,
              count(*) FILTER (WHERE attempts_count >= 2)::int AS contended_seats,
              count(*) FILTER (WHERE 'contention' = ANY(conflict_kinds))::int AS contention,
              count(*) FILTER (WHERE 'inversion' = ANY(conflict_kinds))::int AS inversion,
              count(*) FILTER (WHERE 'ambiguous' = ANY(conflict_kinds))::int AS ambiguous,
              ${correctColumns}
         FROM rm_seats WHERE run_id = $1 AND attempts_count > 0`,
      [runId],
    )) as [Record<string, number>];
    const [{ attempts }] = (await this.dataSource.query(
      `SELECT count(*)::int AS attempts FROM rm_attempts WHERE run_id = $1`,
      [runId],
    )) as [{ attempts: number }];
    const contended = seats['contended_seats'] ?? 0;
    const correct = Object.fromEntries(
      ORDERING_STRATEGIES.map((strategy) => [strategy, seats[`correct_${strategy}`] ?? 0]),
    ) as Record<OrderingStrategy, number>;
    const accuracy = Object.fromEntries(
      ORDERING_STRATEGIES.map((strategy) => [strategy, contended === 0 ? 1 : correct[strategy] / contended]),
    ) as Record<OrderingStrategy, number>;
    return {
      attempts,
      seats_with_attempts: seats['seats_with_attempts'] ?? 0,
      settled_seats: seats['settled_seats'] ?? 0,
      contended_seats: contended,
      conflicts: {
        contention: seats['contention'] ?? 0,
        inversion: seats['inversion'] ?? 0,
        ambiguous: seats['ambiguous'] ?? 0,
      },
      accuracy,
      correct_seats: correct,
    };
  }
}
