/**
 * One projection batch, held in memory. The seats the batch touches are
 * loaded once (their row and all their attempts), the batch's events are
 * applied to them in log order with the same rules the row-at-a-time
 * projection had, each seat is analysed once, and the result is a handful of
 * row sets the SQL side writes in one statement each. No I/O here.
 */
import type { ReadModelChange } from '../../read-model/projection';
import { analyseSeat } from '../domain/conflict-analysis';
import type { ReservationAttempted, ReservationRevoked, SeatAssigned, SeatEvent } from '../domain/seat-events';
import { toAttemptStamps, type AttemptRow } from './attempt-row';
import { buildWitness, type ConflictWitness } from './conflict-witness';
import { emptySeatRow, type SeatRow } from './seat-row';

/** A decoded seat event with where and when the log recorded it. */
export interface PositionedSeatEvent {
  readonly event: SeatEvent;
  readonly position: bigint;
  readonly recordedAt: Date;
}

export interface SeatKey {
  readonly runId: string;
  readonly seatId: number;
}

/** What the read model held for one touched seat before the batch. */
export interface LoadedSeat {
  readonly row: SeatRow | null;
  /** In log order. */
  readonly attempts: readonly AttemptRow[];
  readonly previousConflictKinds: readonly string[];
}

export interface ConflictRow {
  id: string;
  run_id: string;
  seat_id: number;
  kinds: string[];
  server_ids: string[];
  attempts_count: number;
  witness: ConflictWitness;
  /** Written on first detection only; kept on later updates. */
  first_detected_position: string;
  updated_position: string;
}

/** Everything the batch must write, plus what to announce after commit. */
export interface SeatBatchResult {
  readonly insertedAttempts: readonly AttemptRow[];
  /** Attempts already in the read model whose outcome the batch changed. */
  readonly updatedAttempts: readonly AttemptRow[];
  /** Revocations of attempts outside the touched seats (not expected; applied by id, as before). */
  readonly revocationsElsewhere: ReadonlyMap<string, string>;
  readonly seats: readonly SeatRow[];
  readonly conflicts: readonly ConflictRow[];
  readonly changes: ReadModelChange[];
  readonly notices: string[];
}

/** Caps the witness of a hot seat; attempts_count stays exact. */
export const WITNESS_ATTEMPTS_LIMIT = 25;

export const seatKeyOf = (runId: string, seatId: number): string => `${runId}\u0000${seatId}`;
export const conflictIdOf = (runId: string, seatId: number): string =>
  runId ? `run-${runId}-seat-${seatId}` : `seat-${seatId}`;
export const runIdOfSeatEvent = (event: SeatEvent): string => event.data.runId ?? '';

interface BatchSeat extends SeatKey {
  row: SeatRow | null;
  attempts: AttemptRow[];
  readonly previousConflictKinds: readonly string[];
  lastPosition: bigint;
}

/** The touched seats in order of first touch (notices and changes follow that order). */
export const touchedSeatKeys = (events: readonly PositionedSeatEvent[]): SeatKey[] => {
  const keys = new Map<string, SeatKey>();
  for (const { event } of events) {
    const runId = runIdOfSeatEvent(event);
    const key = seatKeyOf(runId, event.data.seatId);
    if (!keys.has(key)) keys.set(key, { runId, seatId: event.data.seatId });
  }
  return [...keys.values()];
};

const byLogPosition = (a: AttemptRow, b: AttemptRow): number => {
  const difference = BigInt(a.log_position) - BigInt(b.log_position);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
};

export class SeatBatch {
  private readonly seats = new Map<string, BatchSeat>();
  private readonly attemptsById = new Map<string, AttemptRow>();
  private readonly inserted = new Set<AttemptRow>();
  private readonly updated = new Set<AttemptRow>();
  private readonly revocationsElsewhere = new Map<string, string>();
  private readonly changes: ReadModelChange[] = [];

  constructor(keys: readonly SeatKey[], loaded: ReadonlyMap<string, LoadedSeat>) {
    for (const { runId, seatId } of keys) {
      const before = loaded.get(seatKeyOf(runId, seatId));
      const attempts = [...(before?.attempts ?? [])];
      for (const attempt of attempts) this.attemptsById.set(attempt.attempt_id, attempt);
      this.seats.set(seatKeyOf(runId, seatId), {
        runId,
        seatId,
        row: before?.row ? { ...before.row } : null,
        attempts,
        previousConflictKinds: before?.previousConflictKinds ?? [],
        lastPosition: 0n,
      });
    }
  }

  apply({ event, position, recordedAt }: PositionedSeatEvent): void {
    const seat = this.seatOf(event);
    seat.lastPosition = position;
    switch (event.type) {
      case 'ReservationAttempted':
        this.recordAttempt(seat, event, position, recordedAt);
        break;
      case 'SeatAssigned':
        this.assignSeat(seat, event, position);
        break;
      case 'ReservationRevoked':
        this.revoke(event);
        break;
    }
    this.changes.push({
      entity: 'attempt',
      id: event.data.attemptId,
      runId: seat.runId,
      position: position.toString(),
    });
  }

  /** Analyses every touched seat once and returns what to write. Call after the last apply. */
  finish(): SeatBatchResult {
    const seats: SeatRow[] = [];
    const conflicts: ConflictRow[] = [];
    const notices: string[] = [];
    for (const seat of this.seats.values()) {
      const conflict = this.analyse(seat);
      if (conflict) {
        conflicts.push(conflict.row);
        if (conflict.notice) {
          notices.push(conflict.notice);
          this.changes.push({
            entity: 'conflict',
            id: conflict.row.id,
            runId: seat.runId,
            position: seat.lastPosition.toString(),
          });
        }
      }
      if (seat.row) seats.push(seat.row);
      this.changes.push({
        entity: 'seat',
        id: String(seat.seatId),
        runId: seat.runId,
        position: seat.lastPosition.toString(),
      });
    }
    return {
      insertedAttempts: [...this.inserted],
      updatedAttempts: [...this.updated].filter((attempt) => !this.inserted.has(attempt)),
      revocationsElsewhere: this.revocationsElsewhere,
      seats,
      conflicts,
      changes: this.changes,
      notices,
    };
  }

  private seatOf(event: SeatEvent): BatchSeat {
    const seat = this.seats.get(seatKeyOf(runIdOfSeatEvent(event), event.data.seatId));
    if (!seat) throw new Error(`seat ${event.data.seatId} was not loaded for this batch`);
    return seat;
  }

  private recordAttempt(seat: BatchSeat, event: ReservationAttempted, position: bigint, recordedAt: Date): void {
    const { data } = event;
    // Applying an attempt twice changes nothing (the table's primary key made it so before).
    if (this.attemptsById.has(data.attemptId)) return;
    // An attempt that arrives after the seat is assigned has lost already.
    const holder = seat.row?.holder_attempt_id ? seat.row.holder_customer_name : undefined;
    const lateReason = holder === undefined ? null : `the seat was already assigned to ${holder}`;
    const attempt: AttemptRow = {
      attempt_id: data.attemptId,
      run_id: seat.runId,
      seat_id: seat.seatId,
      customer_name: data.customerName,
      server_id: data.clock.serverId,
      local_decision: data.localDecision,
      outcome: lateReason ? 'lost' : 'pending',
      outcome_reason: lateReason,
      server_time_ms: data.clock.serverTimeMs,
      reference_time_ms: data.clock.referenceTimeMs,
      estimated_offset_ms: data.clock.estimatedOffsetMs,
      error_bound_ms: data.clock.errorBoundMs,
      ntp_corrected_time_ms: data.clock.ntpCorrectedTimeMs,
      hlc: data.clock.hlc,
      log_position: position.toString(),
      recorded_at: recordedAt,
    };
    seat.attempts.push(attempt);
    this.attemptsById.set(attempt.attempt_id, attempt);
    this.inserted.add(attempt);
    seat.row ??= emptySeatRow(seat.runId, seat.seatId, position);
    const first = seat.row.first_attempt_reference_ms;
    // LEAST() in SQL ignores NULL: a seat created by its assignment takes the first attempt's time.
    seat.row.first_attempt_reference_ms =
      first === null ? data.clock.referenceTimeMs : Math.min(first, data.clock.referenceTimeMs);
  }

  private assignSeat(seat: BatchSeat, event: SeatAssigned, position: bigint): void {
    const { data } = event;
    if (!seat.row) {
      seat.row = emptySeatRow(seat.runId, seat.seatId, position);
    }
    Object.assign(seat.row, {
      holder_attempt_id: data.attemptId,
      holder_customer_name: data.customerName,
      holder_server_id: data.serverId,
      decided_by: data.decidedBy,
      assigned_position: position.toString(),
    });
    const lostReason = `${data.customerName} (${data.serverId}) came first by ${data.decidedBy} order`;
    for (const attempt of seat.attempts) {
      const won = attempt.attempt_id === data.attemptId;
      this.setOutcome(
        attempt,
        won ? 'won' : 'lost',
        won ? `first by ${data.decidedBy} order` : (attempt.outcome_reason ?? lostReason),
      );
    }
  }

  private revoke(event: ReservationRevoked): void {
    const reason = `revoked: ${event.data.reason}`;
    const attempt = this.attemptsById.get(event.data.attemptId);
    if (attempt) this.setOutcome(attempt, 'lost', reason);
    else this.revocationsElsewhere.set(event.data.attemptId, reason);
  }

  private setOutcome(attempt: AttemptRow, outcome: AttemptRow['outcome'], reason: string): void {
    attempt.outcome = outcome;
    attempt.outcome_reason = reason;
    this.updated.add(attempt);
  }

  /** Winners, kinds and witness for one seat; a conflict row when there is a conflict. */
  private analyse(seat: BatchSeat): { row: ConflictRow; notice: string | null } | null {
    if (seat.attempts.length === 0 || !seat.row) return null;
    seat.attempts.sort(byLogPosition);
    const attempts = seat.attempts.map(toAttemptStamps);
    const analysis = analyseSeat(attempts);
    if (!analysis) return null;
    const { winners } = analysis;
    Object.assign(seat.row, {
      attempts_count: attempts.length,
      winner_server_clock: winners.server_clock.attemptId,
      winner_ntp_corrected: winners.ntp_corrected.attemptId,
      winner_log_order: winners.log_order.attemptId,
      winner_hlc: winners.hlc.attemptId,
      winner_truth: winners.truth.attemptId,
      conflict_kinds: [...analysis.kinds],
      updated_position: seat.lastPosition.toString(),
    });
    if (analysis.kinds.length === 0) return null;
    const witness = buildWitness(analysis, attempts, { maxAttempts: WITNESS_ATTEMPTS_LIMIT });
    const row: ConflictRow = {
      id: conflictIdOf(seat.runId, seat.seatId),
      run_id: seat.runId,
      seat_id: seat.seatId,
      kinds: [...analysis.kinds],
      server_ids: [...new Set(attempts.map((attempt) => attempt.serverId))].sort(),
      attempts_count: attempts.length,
      witness,
      // The second attempt in log order is where contention (hence any conflict) began,
      // whatever the batch boundaries were: rebuilds must equal incremental projection.
      first_detected_position: attempts[1]!.logPosition.toString(),
      updated_position: seat.lastPosition.toString(),
    };
    const unchanged = seat.previousConflictKinds.join(',') === analysis.kinds.join(',');
    const notice = unchanged
      ? null
      : `CONFLICT DETECTED: seat ${seat.seatId}${seat.runId ? ` (run ${seat.runId})` : ''} [${analysis.kinds.join(', ')}] ${witness.explanation}`;
    return { row, notice };
  }
}
