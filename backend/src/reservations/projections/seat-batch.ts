/**
 * One projection batch, held in memory. The seats the batch touches are
 * loaded once (their row, with its incremental analysis state) together with
 * the stored attempts the batch's events name; the events are applied in log
 * order with the same rules the row-at-a-time projection had; each seat's
 * analysis is folded forward with its new attempts (seat-analysis-state.ts);
 * the result is a handful of row sets the SQL side writes in one statement
 * each. A hot seat's other attempts are never loaded: an assignment marks
 * them lost with one set-based update. No I/O here.
 */
import type { ReadModelChange } from '../../read-model/projection';
import type { ReservationAttempted, ReservationRevoked, SeatAssigned, SeatEvent } from '../domain/seat-events';
import type { AttemptRow } from './attempt-row';
import type { ConflictWitness } from './conflict-witness';
import {
  completeWithWindow,
  conflictKindsOf,
  foldAttempts,
  witnessAttemptOf,
  witnessOf,
  type FoldStep,
} from './seat-analysis-state';
import { emptySeatRow, type SeatRow } from './seat-row';

export { WITNESS_ATTEMPTS_LIMIT } from './seat-analysis-state';

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

/** Stored attempts of a seat the batch did not load, all lost to an assignment (reason kept if they had one). */
export interface StoredAttemptsLost {
  readonly run_id: string;
  readonly seat_id: number;
  readonly outcome_reason: string;
  /** Attempts the batch holds in memory and writes by id. */
  readonly except_ids: string[];
}

/** The stored attempts (not in this batch) a seat's fold needs because its NTP-corrected winner changed. */
export interface WindowRequest extends SeatKey {
  readonly below: number;
}

/** Everything the batch must write, plus what to announce after commit. */
export interface SeatBatchResult {
  readonly insertedAttempts: readonly AttemptRow[];
  /** Attempts already in the read model whose outcome the batch changed. */
  readonly updatedAttempts: readonly AttemptRow[];
  /** Revocations of attempts not in the read model (not expected; applied by id, as before). */
  readonly revocationsElsewhere: ReadonlyMap<string, string>;
  readonly storedAttemptsLost: readonly StoredAttemptsLost[];
  readonly seats: readonly SeatRow[];
  readonly conflicts: readonly ConflictRow[];
  readonly changes: ReadModelChange[];
  readonly notices: string[];
}

export const seatKeyOf = (runId: string, seatId: number): string => `${runId}\u0000${seatId}`;
export const conflictIdOf = (runId: string, seatId: number): string =>
  runId ? `run-${runId}-seat-${seatId}` : `seat-${seatId}`;
export const runIdOfSeatEvent = (event: SeatEvent): string => event.data.runId ?? '';

interface BatchSeat extends SeatKey {
  row: SeatRow | null;
  /** This seat's attempts the batch holds: stored ones its events name, then the ones it adds. */
  readonly inMemory: AttemptRow[];
  /** Attempts this batch adds, in log order. */
  readonly added: AttemptRow[];
  readonly previousConflictKinds: readonly string[];
  lastPosition: bigint;
  /** Lost reason of the batch's first assignment, for the stored attempts not in memory. */
  storedLostReason: string | null;
  fold: FoldStep | null;
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

/** Every attempt id the batch's events name: to skip attempts applied already and to update outcomes by id. */
export const referencedAttemptIds = (events: readonly PositionedSeatEvent[]): string[] => [
  ...new Set(events.map(({ event }) => event.data.attemptId)),
];

export class SeatBatch {
  private readonly seats = new Map<string, BatchSeat>();
  private readonly attemptsById = new Map<string, AttemptRow>();
  private readonly inserted = new Set<AttemptRow>();
  private readonly updated = new Set<AttemptRow>();
  private readonly revocationsElsewhere = new Map<string, string>();
  private readonly changes: ReadModelChange[] = [];

  /**
   * @param storedAttempts the stored attempts this batch's events name (see referencedAttemptIds)
   *   and, for a seat whose row has no analysis yet (projected before it existed), all its attempts.
   */
  constructor(
    keys: readonly SeatKey[],
    loaded: ReadonlyMap<string, LoadedSeat>,
    storedAttempts: readonly AttemptRow[],
  ) {
    for (const { runId, seatId } of keys) {
      const before = loaded.get(seatKeyOf(runId, seatId));
      this.seats.set(seatKeyOf(runId, seatId), {
        runId,
        seatId,
        row: before?.row ? { ...before.row } : null,
        inMemory: [],
        added: [],
        previousConflictKinds: before?.previousConflictKinds ?? [],
        lastPosition: 0n,
        storedLostReason: null,
        fold: null,
      });
    }
    for (const attempt of storedAttempts) {
      if (this.attemptsById.has(attempt.attempt_id)) continue;
      this.attemptsById.set(attempt.attempt_id, attempt);
      this.seats.get(seatKeyOf(attempt.run_id, attempt.seat_id))?.inMemory.push(attempt);
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

  /**
   * Folds each touched seat's new attempts into its analysis. Returns the
   * seats whose NTP-corrected winner changed: the caller loads their stored
   * attempts below the given corrected time and passes them to finish().
   */
  fold(legacyAttempts: ReadonlyMap<string, readonly AttemptRow[]> = new Map()): WindowRequest[] {
    const requests: WindowRequest[] = [];
    for (const [key, seat] of this.seats) {
      if (!seat.row) continue;
      const legacy = legacyAttempts.get(key);
      const previous = legacy ? null : seat.row.analysis;
      const added = [...(legacy ?? []), ...seat.added].map(witnessAttemptOf);
      if (!previous && added.length === 0) continue;
      seat.fold = foldAttempts(previous, added);
      if (seat.fold.windowBelow !== null) {
        requests.push({ runId: seat.runId, seatId: seat.seatId, below: seat.fold.windowBelow });
      }
    }
    return requests;
  }

  /** Completes every seat's analysis and returns what to write. Call after fold(). */
  finish(windows: ReadonlyMap<string, readonly AttemptRow[]> = new Map()): SeatBatchResult {
    const seats: SeatRow[] = [];
    const conflicts: ConflictRow[] = [];
    const notices: string[] = [];
    const storedAttemptsLost: StoredAttemptsLost[] = [];
    for (const [key, seat] of this.seats) {
      const conflict = this.analyse(seat, windows.get(key) ?? []);
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
      if (seat.storedLostReason !== null) {
        storedAttemptsLost.push({
          run_id: seat.runId,
          seat_id: seat.seatId,
          outcome_reason: seat.storedLostReason,
          except_ids: seat.inMemory.map((attempt) => attempt.attempt_id),
        });
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
      storedAttemptsLost,
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
    seat.inMemory.push(attempt);
    seat.added.push(attempt);
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
    for (const attempt of seat.inMemory) {
      const won = attempt.attempt_id === data.attemptId;
      this.setOutcome(
        attempt,
        won ? 'won' : 'lost',
        won ? `first by ${data.decidedBy} order` : (attempt.outcome_reason ?? lostReason),
      );
    }
    // The stored attempts not in memory are never this assignment's winner (its id was loaded), and
    // a later assignment in the batch keeps the reason this one gives them: the first reason is final.
    seat.storedLostReason ??= lostReason;
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
  private analyse(seat: BatchSeat, window: readonly AttemptRow[]): { row: ConflictRow; notice: string | null } | null {
    if (!seat.fold || !seat.row) return null;
    const state =
      seat.fold.windowBelow === null
        ? seat.fold.state
        : completeWithWindow(seat.fold.state, window.map(witnessAttemptOf));
    const { winners } = state;
    const kinds = conflictKindsOf(state);
    Object.assign(seat.row, {
      attempts_count: state.attempts_count,
      winner_server_clock: winners.server_clock.attempt_id,
      winner_ntp_corrected: winners.ntp_corrected.attempt_id,
      winner_log_order: winners.log_order.attempt_id,
      winner_hlc: winners.hlc.attempt_id,
      winner_truth: winners.truth.attempt_id,
      conflict_kinds: [...kinds],
      updated_position: seat.lastPosition.toString(),
      analysis: state,
    });
    if (kinds.length === 0) return null;
    const witness = witnessOf(state);
    const row: ConflictRow = {
      id: conflictIdOf(seat.runId, seat.seatId),
      run_id: seat.runId,
      seat_id: seat.seatId,
      kinds: [...kinds],
      server_ids: [...state.server_ids],
      attempts_count: state.attempts_count,
      witness,
      // The second attempt in log order is where contention (hence any conflict) began,
      // whatever the batch boundaries were: rebuilds must equal incremental projection.
      first_detected_position: state.first_positions[1]!,
      updated_position: seat.lastPosition.toString(),
    };
    const unchanged = seat.previousConflictKinds.join(',') === kinds.join(',');
    const notice = unchanged
      ? null
      : `CONFLICT DETECTED: seat ${seat.seatId}${seat.runId ? ` (run ${seat.runId})` : ''} [${kinds.join(', ')}] ${witness.explanation}`;
    return { row, notice };
  }
}
