/** Reads of conflicts, seat timelines and strategy statistics. */
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/environment';
import { earliestPossibleMs, latestPossibleMs } from '../domain/attempt-facts';
import { DECISION_STRATEGIES, orderAttempts } from '../domain/ordering';
import { resolveSeat } from '../domain/resolution/resolve-seat';
import { compareByTruth } from '../domain/scoring/truth-scoring';
import { ORDERING_STRATEGIES, type OrderingStrategy } from '../domain/seat-events';
import type {
  ConflictListResponse,
  ConflictResponse,
  SeatTimelineResponse,
  ServerBoundsResponse,
  StatsResponse,
} from '../http/conflict.responses';
import { projectedAttemptOf, type AttemptRow } from '../projections/attempt-row';
import type { ConflictWitness } from '../projections/conflict-witness';
import type { ConflictRow } from '../projections/seat-batch';
import type { SeatRow } from '../projections/seat-row';
import { toWitnessAttempt } from '../projections/witness-attempt';
import { queryPage } from './paged-query';
import { READ_MODEL_DATA_SOURCE } from './tokens';

/** rm_conflicts.witness is JSON text, written by the projection (conflict-witness.ts). */
/** Witnesses stored before the truth's uncertainty was kept lack it: their truths were scored as exact. */
const witnessOf = (row: Pick<ConflictRow, 'witness'>): ConflictWitness => {
  const witness = JSON.parse(row.witness) as ConflictWitness;
  return {
    ...witness,
    attempts: witness.attempts.map((attempt) => ({
      ...attempt,
      reference_uncertainty_ms: attempt.reference_uncertainty_ms ?? 0,
    })),
  };
};

const toConflictResponse = (row: ConflictRow): ConflictResponse => ({
  id: row.id,
  run_id: row.run_id,
  seat_id: row.seat_id,
  kinds: row.kinds,
  server_ids: row.server_ids,
  attempts_count: row.attempts_count,
  witness: witnessOf(row),
  detected_position: row.first_detected_position,
});

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

export interface ConflictFilter {
  readonly kind?: string;
  readonly seatId?: number;
  readonly serverId?: string;
  readonly runId?: string;
  readonly limit: number;
  readonly offset: number;
}

const VERDICTS = ['ambiguous', 'bound_violation', 'late_arrival', 'unexplained'] as const;

@Injectable()
export class ConflictQueries {
  constructor(
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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

  /** Every attempt of the seat with its role, recomputed with the same rule the authority used. */
  async timeline(seatId: number, runId = ''): Promise<SeatTimelineResponse> {
    const [rows, seats, conflicts] = await Promise.all([
      this.dataSource.query(`SELECT * FROM rm_attempts WHERE run_id = $1 AND seat_id = $2 ORDER BY log_position`, [
        runId,
        seatId,
      ]) as Promise<AttemptRow[]>,
      this.dataSource.query(`SELECT * FROM rm_seats WHERE run_id = $1 AND seat_id = $2`, [runId, seatId]) as Promise<
        SeatRow[]
      >,
      this.dataSource.query(`SELECT witness FROM rm_conflicts WHERE run_id = $1 AND seat_id = $2`, [
        runId,
        seatId,
      ]) as Promise<Pick<ConflictRow, 'witness'>[]>,
    ]);
    const seat = seats[0];
    const attempts = rows.map(projectedAttemptOf);
    const consideredUpTo = seat?.considered_up_to ? BigInt(seat.considered_up_to) : null;
    const windowMs = seat?.window_ms ?? (await this.windowOf(runId));
    const resolution = resolveSeat({ attempts, windowMs, consideredUpTo });
    const trulyFirst = [...attempts].sort(compareByTruth)[0];
    const pick = (attempt: { attemptId: string; customerName: string; serverId: string }) => ({
      attempt_id: attempt.attemptId,
      customer_name: attempt.customerName,
      server_id: attempt.serverId,
    });
    const orderings = {
      ...Object.fromEntries(
        DECISION_STRATEGIES.map((strategy) => [strategy, orderAttempts(strategy, attempts).map((a) => a.attemptId)]),
      ),
      truth: [...attempts].sort(compareByTruth).map((attempt) => attempt.attemptId),
    } as Record<OrderingStrategy, string[]>;
    return {
      seat_id: seatId,
      attempts: attempts.map((attempt, index) => ({
        ...toWitnessAttempt(attempt),
        outcome: rows[index]!.outcome,
        outcome_reason: rows[index]!.outcome_reason,
        role: resolution?.roles.get(attempt.attemptId) ?? 'competing',
        earliest_ms: finiteOrNull(earliestPossibleMs(attempt)),
        latest_ms: finiteOrNull(latestPossibleMs(attempt)),
        revoked: rows[index]!.revoked,
        out_of_bound: rows[index]!.out_of_bound,
        bound_violated: rows[index]!.bound_violated,
      })),
      orderings: Object.fromEntries(ORDERING_STRATEGIES.map((strategy) => [strategy, orderings[strategy]])),
      winners:
        resolution && trulyFirst
          ? {
              server_clock: pick(resolution.winners.server_clock),
              ntp_corrected: pick(resolution.winners.ntp_corrected),
              log_order: pick(resolution.winners.log_order),
              hlc: pick(resolution.winners.hlc),
              truth: pick(trulyFirst),
            }
          : null,
      authoritative: resolution
        ? {
            attempt_id: resolution.authoritative.winner.attemptId,
            customer_name: resolution.authoritative.winner.customerName,
            decided_by: resolution.authoritative.decidedBy,
          }
        : null,
      candidates: (resolution?.candidates ?? []).map((candidate) => candidate.attemptId),
      window: resolution
        ? {
            window_ms: windowMs,
            anchor_attempt_id: resolution.window.anchor?.attemptId ?? null,
            closes_at_ms: finiteOrNull(resolution.window.closesAtMs),
          }
        : null,
      kinds: resolution ? [...resolution.kinds] : [],
      holder_attempt_id: seat?.holder_attempt_id ?? null,
      considered_up_to: seat?.considered_up_to ?? null,
      holder_verdict: seat?.holder_verdict ?? null,
      explanation: conflicts[0] ? witnessOf(conflicts[0]).explanation : null,
    };
  }

  async stats(runId = ''): Promise<StatsResponse> {
    const correctColumns = ORDERING_STRATEGIES.map(
      (strategy) =>
        `count(*) FILTER (WHERE competing_count >= 2 AND winner_${strategy} = winner_truth)::int AS correct_${strategy}`,
    ).join(', ');
    const verdictColumns = VERDICTS.map(
      (verdict) => `count(*) FILTER (WHERE holder_verdict = '${verdict}')::int AS wrong_${verdict}`,
    ).join(', ');
    const [seats] = (await this.dataSource.query(
      `SELECT count(*)::int AS seats_with_attempts,
              count(*) FILTER (WHERE holder_attempt_id IS NOT NULL)::int AS settled_seats,
              count(*) FILTER (WHERE competing_count >= 2)::int AS contended_seats,
              count(*) FILTER (WHERE holder_attempt_id IS NOT NULL AND holder_verdict = 'correct')::int
                AS authority_correct,
              count(*) FILTER (WHERE 'contention' = ANY(conflict_kinds))::int AS contention,
              count(*) FILTER (WHERE 'inversion' = ANY(conflict_kinds))::int AS inversion,
              count(*) FILTER (WHERE 'ambiguous' = ANY(conflict_kinds))::int AS ambiguous,
              ${correctColumns}, ${verdictColumns}
         FROM rm_seats WHERE run_id = $1 AND attempts_count > 0`,
      [runId],
    )) as [Record<string, number>];
    const servers: { server_id: string; attempts: number; bound_violations: number; out_of_bound: number }[] =
      await this.dataSource.query(
        `SELECT server_id, count(*)::int AS attempts,
                count(*) FILTER (WHERE bound_violated)::int AS bound_violations,
                count(*) FILTER (WHERE out_of_bound)::int AS out_of_bound
           FROM rm_attempts WHERE run_id = $1 GROUP BY server_id ORDER BY server_id`,
        [runId],
      );
    const steps: { server_id: string; steps: number }[] = await this.dataSource.query(
      `SELECT server_id, count(*)::int AS steps FROM rm_clock_steps WHERE run_id = $1 GROUP BY server_id`,
      [runId],
    );
    const stepsByServer = new Map(steps.map((row) => [row.server_id, row.steps]));
    const contended = seats['contended_seats'] ?? 0;
    const correct = Object.fromEntries(
      ORDERING_STRATEGIES.map((strategy) => [strategy, seats[`correct_${strategy}`] ?? 0]),
    ) as Record<OrderingStrategy, number>;
    const settled = seats['settled_seats'] ?? 0;
    const authorityCorrect = seats['authority_correct'] ?? 0;
    const serverIds = [...new Set([...servers.map((row) => row.server_id), ...stepsByServer.keys()])].sort();
    const byServer = new Map(servers.map((row) => [row.server_id, row]));
    return {
      attempts: servers.reduce((sum, row) => sum + row.attempts, 0),
      seats_with_attempts: seats['seats_with_attempts'] ?? 0,
      settled_seats: settled,
      contended_seats: contended,
      conflicts: {
        contention: seats['contention'] ?? 0,
        inversion: seats['inversion'] ?? 0,
        ambiguous: seats['ambiguous'] ?? 0,
      },
      accuracy: Object.fromEntries(
        ORDERING_STRATEGIES.map((strategy) => [strategy, contended === 0 ? 1 : correct[strategy] / contended]),
      ) as Record<OrderingStrategy, number>,
      correct_seats: correct,
      // Over every seat it assigned: a population that does not depend on how the decisions came out.
      authority: {
        seats: settled,
        correct: authorityCorrect,
        accuracy: settled === 0 ? 1 : authorityCorrect / settled,
      },
      wrong_holders: Object.fromEntries(VERDICTS.map((verdict) => [verdict, seats[`wrong_${verdict}`] ?? 0])) as Record<
        (typeof VERDICTS)[number],
        number
      >,
      servers: serverIds.map((serverId): ServerBoundsResponse => ({
        server_id: serverId,
        attempts: byServer.get(serverId)?.attempts ?? 0,
        bound_violations: byServer.get(serverId)?.bound_violations ?? 0,
        out_of_bound: byServer.get(serverId)?.out_of_bound ?? 0,
        steps_detected: stepsByServer.get(serverId) ?? 0,
      })),
    };
  }

  private async windowOf(runId: string): Promise<number> {
    if (!runId) return this.config.CONFLICT_WINDOW_MS;
    const rows: { conflict_window_ms: number }[] = await this.dataSource.query(
      `SELECT conflict_window_ms FROM rm_runs WHERE run_id = $1`,
      [runId],
    );
    return rows[0]?.conflict_window_ms ?? this.config.CONFLICT_WINDOW_MS;
  }
}
