/**
 * One projection batch, held in memory. The seats the batch touches are
 * loaded once (their row, with its incremental analysis); the events are
 * applied in log order; each seat's resolution is folded forward with its new
 * attempts (domain/resolution/seat-resolution-state.ts), or recomputed from
 * all its attempts when the fold cannot know the answer, and always when the
 * seat settles (its attempts' outcomes come from the one resolution rule).
 * The lab's scoring (truth) is added on top. The result is a handful of row
 * sets the SQL side writes in one statement each. No I/O here.
 */
import type { ReadModelChange } from '../../read-model/projection';
import { describeLoss, describeWin } from '../domain/resolution/describe-loss';
import { resolveSeat, type LossReason } from '../domain/resolution/resolve-seat';
import { addAttempts, resolutionStateOf, verdictOf } from '../domain/resolution/seat-resolution-state';
import { boundFailedBefore, boundViolated, holderVerdictOf } from '../domain/scoring/truth-scoring';
import type { SeatHolder } from '../domain/seat-decider';
import type { ReservationAttempted, SeatAssigned, SeatEvent } from '../domain/seat-events';
import { projectedAttemptOf, type AttemptRow, type ProjectedAttempt } from './attempt-row';
import { witnessOf } from './conflict-witness';
import { decodeSeatAnalysis, encodeSeatAnalysis, scoreAttempts, type SeatAnalysis } from './seat-analysis';
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
  readonly previousConflictKinds: readonly string[];
}

export interface ConflictRow {
  id: string;
  run_id: string;
  seat_id: number;
  kinds: string[];
  server_ids: string[];
  attempts_count: number;
  /** The ConflictWitness as JSON text: the API sends it on whole and no query looks inside it. */
  witness: string;
  /** Written on first detection only; kept on later updates. */
  first_detected_position: string;
  updated_position: string;
}

/** What else the batch needs to know, loaded before it is applied. */
export interface BatchContext {
  /** The live lab's conflict window. */
  readonly liveWindowMs: number;
  /** Conflict windows of the scenario runs the batch touches. */
  readonly runWindows: ReadonlyMap<string, number>;
  /** Attempts of this batch already in the read model (a re-applied batch changes nothing). */
  readonly storedAttemptIds: ReadonlySet<string>;
  /** Server sync epochs a detected step put out of bound, as suspectKeyOf(). */
  readonly suspectEpochs: ReadonlySet<string>;
}

export interface OutcomeUpdate {
  readonly attempt_id: string;
  readonly outcome: AttemptRow['outcome'];
  readonly outcome_reason: string;
}

/** Everything the batch must write, plus what to announce after commit. */
export interface SeatBatchResult {
  readonly insertedAttempts: readonly AttemptRow[];
  /** Outcomes of attempts already in the read model (a seat settled in this batch). */
  readonly outcomeUpdates: readonly OutcomeUpdate[];
  readonly revokedAttemptIds: readonly string[];
  readonly seats: readonly SeatRow[];
  readonly conflicts: readonly ConflictRow[];
  /** Conflict ids whose seat no longer has a conflict (an earlier attempt closed its window sooner). */
  readonly resolvedConflictIds: readonly string[];
  readonly changes: ReadModelChange[];
  readonly notices: string[];
}

export const seatKeyOf = (runId: string, seatId: number): string => `${runId}\u0000${seatId}`;
export const conflictIdPrefixOf = (runId: string): string => (runId ? `run-${runId}-seat-` : 'seat-');
export const conflictIdOf = (runId: string, seatId: number): string => `${conflictIdPrefixOf(runId)}${seatId}`;
export const runIdOfSeatEvent = (event: SeatEvent): string => event.data.runId ?? '';
export const suspectKeyOf = (runId: string, serverId: string, syncEpoch: number): string =>
  `${runId}\u0000${serverId}\u0000${syncEpoch}`;

interface Settlement {
  readonly holder: SeatHolder;
  readonly decidedBy: 'ntp_corrected' | 'log_order';
  readonly cutoff: bigint;
}

interface BatchSeat extends SeatKey {
  row: SeatRow | null;
  readonly previousConflictKinds: readonly string[];
  windowMs: number;
  analysis: SeatAnalysis | null;
  /** Attempts this batch adds, in log order. */
  readonly added: AttemptRow[];
  /** Set when the seat settles in this batch. */
  settlement: Settlement | null;
  /** The fold cannot tell: recompute from all the seat's attempts. */
  needsAllAttempts: boolean;
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

export const attemptIdsOf = (events: readonly PositionedSeatEvent[]): string[] =>
  events.flatMap(({ event }) => (event.type === 'ReservationAttempted' ? [event.data.attemptId] : []));

const decidedByOf = (value: string): Settlement['decidedBy'] => (value === 'log_order' ? 'log_order' : 'ntp_corrected');

/** The holder among what the settled resolution kept (it was one of the candidates). */
const settledAttempt = (resolution: SeatAnalysis['resolution'], attemptId: string): ProjectedAttempt | null =>
  [...resolution.candidates, ...resolution.front, ...Object.values(resolution.winners)].find(
    (attempt) => attempt.attemptId === attemptId,
  ) ?? null;

export class SeatBatch {
  private readonly seats = new Map<string, BatchSeat>();
  private readonly inBatch = new Map<string, AttemptRow>();
  private readonly revoked = new Set<string>();
  private readonly changes: ReadModelChange[] = [];

  constructor(
    keys: readonly SeatKey[],
    loaded: ReadonlyMap<string, LoadedSeat>,
    private readonly context: BatchContext,
  ) {
    for (const { runId, seatId } of keys) {
      const before = loaded.get(seatKeyOf(runId, seatId));
      const row = before?.row ? { ...before.row } : null;
      const analysis = decodeSeatAnalysis(row?.analysis ?? null);
      this.seats.set(seatKeyOf(runId, seatId), {
        runId,
        seatId,
        row,
        previousConflictKinds: before?.previousConflictKinds ?? [],
        windowMs:
          row?.window_ms ?? (runId ? (context.runWindows.get(runId) ?? context.liveWindowMs) : context.liveWindowMs),
        analysis,
        added: [],
        settlement: null,
        // Seats projected by an older model version are recomputed from their attempts once.
        needsAllAttempts: row !== null && row.attempts_count > 0 && analysis === null,
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
      case 'ReservationRevoked': {
        this.revoked.add(event.data.attemptId);
        const attempt = this.inBatch.get(event.data.attemptId);
        if (attempt) attempt.revoked = true;
        break;
      }
    }
    this.changes.push({
      entity: 'attempt',
      id: event.data.attemptId,
      runId: seat.runId,
      position: position.toString(),
    });
  }

  /** A detected clock step: this batch's attempts of that server and epoch are out of bound too. */
  markOutOfBound(runId: string, serverId: string, syncEpoch: number): void {
    for (const attempt of this.inBatch.values()) {
      if (attempt.run_id === runId && attempt.server_id === serverId && attempt.sync_epoch === syncEpoch) {
        attempt.out_of_bound = true;
      }
    }
  }

  /** The seats whose resolution must be recomputed from all their attempts: load them and pass them to finish(). */
  seatsNeedingAllAttempts(): SeatKey[] {
    return [...this.seats.values()]
      .filter((seat) => seat.needsAllAttempts)
      .map(({ runId, seatId }) => ({ runId, seatId }));
  }

  /** @param storedAttempts every stored attempt of the seats seatsNeedingAllAttempts() named, by seat key. */
  finish(storedAttempts: ReadonlyMap<string, readonly AttemptRow[]> = new Map()): SeatBatchResult {
    const seats: SeatRow[] = [];
    const conflicts: ConflictRow[] = [];
    const resolvedConflictIds: string[] = [];
    const notices: string[] = [];
    const outcomeUpdates: OutcomeUpdate[] = [];
    for (const [key, seat] of this.seats) {
      if (seat.needsAllAttempts) outcomeUpdates.push(...this.recompute(seat, storedAttempts.get(key) ?? []));
      if (!seat.row) continue;
      const conflict = this.describe(seat);
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
      } else if (seat.previousConflictKinds.length > 0) {
        resolvedConflictIds.push(conflictIdOf(seat.runId, seat.seatId));
      }
      seats.push(seat.row);
      this.changes.push({
        entity: 'seat',
        id: String(seat.seatId),
        runId: seat.runId,
        position: seat.lastPosition.toString(),
      });
    }
    return {
      insertedAttempts: [...this.inBatch.values()],
      outcomeUpdates,
      revokedAttemptIds: [...this.revoked].filter((id) => !this.inBatch.has(id)),
      seats,
      conflicts,
      resolvedConflictIds,
      changes: this.changes,
      notices,
    };
  }

  private seatOf(event: SeatEvent): BatchSeat {
    const seat = this.seats.get(seatKeyOf(runIdOfSeatEvent(event), event.data.seatId));
    if (!seat) throw new Error(`seat ${event.data.seatId} was not loaded for this batch`);
    return seat;
  }

  private holderOf(seat: BatchSeat): SeatHolder | null {
    if (seat.settlement) return seat.settlement.holder;
    const row = seat.row;
    return row?.holder_attempt_id
      ? { attemptId: row.holder_attempt_id, customerName: row.holder_customer_name!, serverId: row.holder_server_id! }
      : null;
  }

  private recordAttempt(seat: BatchSeat, event: ReservationAttempted, position: bigint, recordedAt: Date): void {
    const { data } = event;
    if (this.context.storedAttemptIds.has(data.attemptId) || this.inBatch.has(data.attemptId)) return;
    const holder = this.holderOf(seat);
    const syncEpoch = data.clock.syncEpoch ?? null;
    const attempt: AttemptRow = {
      attempt_id: data.attemptId,
      run_id: seat.runId,
      seat_id: seat.seatId,
      customer_name: data.customerName,
      server_id: data.clock.serverId,
      local_decision: data.localDecision,
      // An attempt that reaches the log after the seat settled has lost already.
      outcome: holder ? 'lost' : 'pending',
      outcome_reason: holder ? describeLoss({ kind: 'after_settlement' }, holder) : null,
      server_time_ms: data.clock.serverTimeMs,
      reference_time_ms: data.clock.referenceTimeMs,
      reference_uncertainty_ms: data.clock.referenceUncertaintyMs ?? 0,
      estimated_offset_ms: data.clock.estimatedOffsetMs,
      error_bound_ms: data.clock.errorBoundMs,
      ntp_corrected_time_ms: data.clock.ntpCorrectedTimeMs,
      hlc: data.clock.hlc,
      log_position: position.toString(),
      recorded_at: recordedAt,
      sync_epoch: syncEpoch,
      revoked: false,
      out_of_bound:
        syncEpoch !== null && this.context.suspectEpochs.has(suspectKeyOf(seat.runId, data.clock.serverId, syncEpoch)),
      bound_violated: false,
    };
    const projected = projectedAttemptOf(attempt);
    attempt.bound_violated = boundViolated(projected);
    seat.added.push(attempt);
    this.inBatch.set(attempt.attempt_id, attempt);
    seat.row ??= emptySeatRow(seat.runId, seat.seatId, position);
    const first = seat.row.first_attempt_reference_ms;
    seat.row.first_attempt_reference_ms =
      first === null ? data.clock.referenceTimeMs : Math.min(first, data.clock.referenceTimeMs);
    if (seat.needsAllAttempts) return;
    const resolution = addAttempts(seat.analysis?.resolution ?? null, [projected], seat.windowMs);
    if (resolution === 'reload') {
      seat.needsAllAttempts = true;
      return;
    }
    seat.analysis = { resolution, scoring: scoreAttempts(seat.analysis?.scoring ?? null, [projected]) };
  }

  private assignSeat(seat: BatchSeat, event: SeatAssigned, position: bigint): void {
    const { data } = event;
    // A seat is assigned once (the seat stream guarantees it); a re-applied batch changes nothing.
    if (this.holderOf(seat)) return;
    seat.row ??= emptySeatRow(seat.runId, seat.seatId, position);
    Object.assign(seat.row, {
      holder_attempt_id: data.attemptId,
      holder_customer_name: data.customerName,
      holder_server_id: data.serverId,
      decided_by: data.decidedBy,
      assigned_position: position.toString(),
    });
    if (data.windowMs !== undefined) seat.windowMs = data.windowMs;
    seat.settlement = {
      holder: { attemptId: data.attemptId, customerName: data.customerName, serverId: data.serverId },
      decidedBy: decidedByOf(data.decidedBy),
      // Seeded runs and older events: every attempt before the assignment was considered.
      cutoff: data.consideredUpTo ? BigInt(data.consideredUpTo) : position - 1n,
    };
    // Every attempt's outcome comes from the resolution over all of them.
    seat.needsAllAttempts = true;
  }

  /** Recomputes the seat from all its attempts; returns the outcome changes of stored attempts if it settled now. */
  private recompute(seat: BatchSeat, stored: readonly AttemptRow[]): OutcomeUpdate[] {
    const rows = [...stored.filter((row) => !this.inBatch.has(row.attempt_id)), ...seat.added];
    if (rows.length === 0) return [];
    const attempts = rows.map(projectedAttemptOf);
    const cutoff = seat.settlement?.cutoff ?? (seat.row?.considered_up_to ? BigInt(seat.row.considered_up_to) : null);
    seat.analysis = {
      resolution: resolutionStateOf(attempts, seat.windowMs, cutoff)!,
      scoring: scoreAttempts(null, attempts),
    };
    if (!seat.settlement) return [];
    const { holder, decidedBy } = seat.settlement;
    const resolution = resolveSeat({ attempts, windowMs: seat.windowMs, consideredUpTo: cutoff });
    const reasons = new Map<string, LossReason<ProjectedAttempt>>(
      (resolution?.losers ?? []).map(({ attempt, reason }) => [attempt.attemptId, reason]),
    );
    const updates: OutcomeUpdate[] = [];
    for (const row of rows) {
      const won = row.attempt_id === holder.attemptId;
      const reason = reasons.get(row.attempt_id);
      const outcome: OutcomeUpdate = {
        attempt_id: row.attempt_id,
        outcome: won ? 'won' : 'lost',
        outcome_reason: won
          ? describeWin(decidedBy, resolution?.candidates.length ?? 1)
          : reason
            ? describeLoss(reason, holder)
            : `the seat was assigned to ${holder.customerName} (${holder.serverId})`,
      };
      const inBatch = this.inBatch.get(row.attempt_id);
      if (inBatch) Object.assign(inBatch, { outcome: outcome.outcome, outcome_reason: outcome.outcome_reason });
      else updates.push(outcome);
    }
    return updates;
  }

  /** Writes the seat row's resolution columns; returns its conflict row, if it has a conflict. */
  private describe(seat: BatchSeat): { row: ConflictRow; notice: string | null } | null {
    const row = seat.row!;
    Object.assign(row, { updated_position: (seat.lastPosition || BigInt(row.updated_position)).toString() });
    const analysis = seat.analysis;
    if (!analysis) return null;
    const { resolution, scoring } = analysis;
    const verdict = verdictOf(resolution);
    const cutoff = resolution.consideredUpTo;
    const boundFailed = boundFailedBefore(scoring.firstViolationPosition, cutoff);
    Object.assign(row, {
      attempts_count: resolution.attemptsCount,
      competing_count: resolution.competingCount,
      candidates_count: resolution.candidates.length,
      window_ms: resolution.windowMs,
      closes_at_ms: Number.isFinite(verdict.closesAtMs) ? verdict.closesAtMs : null,
      considered_up_to: cutoff?.toString() ?? null,
      winner_server_clock: resolution.winners.server_clock.attemptId,
      winner_ntp_corrected: resolution.winners.ntp_corrected.attemptId,
      winner_log_order: resolution.winners.log_order.attemptId,
      winner_hlc: resolution.winners.hlc.attemptId,
      winner_truth: scoring.trulyFirst.attemptId,
      authoritative_attempt_id: verdict.authoritative.winner.attemptId,
      authoritative_decided_by: verdict.authoritative.decidedBy,
      conflict_kinds: [...verdict.kinds],
      violated_attempts: scoring.violatedAttempts,
      holder_verdict: row.holder_attempt_id
        ? holderVerdictOf({
            holderAttemptId: row.holder_attempt_id,
            holder: settledAttempt(resolution, row.holder_attempt_id),
            decidedBy: decidedByOf(row.decided_by ?? ''),
            trulyFirst: scoring.trulyFirst,
            anchor: resolution.anchor,
            consideredUpTo: cutoff,
          })
        : null,
      analysis: JSON.stringify(encodeSeatAnalysis(analysis)),
    } satisfies Partial<SeatRow>);
    if (verdict.kinds.length === 0) return null;
    const witness = witnessOf(analysis, boundFailed);
    const conflict: ConflictRow = {
      id: conflictIdOf(seat.runId, seat.seatId),
      run_id: seat.runId,
      seat_id: seat.seatId,
      kinds: [...verdict.kinds],
      server_ids: [...resolution.serverIds],
      attempts_count: resolution.attemptsCount,
      witness: JSON.stringify(witness),
      // The second competing attempt in log order is where contention (hence any conflict) began,
      // whatever the batch boundaries were: rebuilds must equal incremental projection.
      first_detected_position: resolution.firstPositions[1]!.toString(),
      updated_position: row.updated_position,
    };
    const unchanged = seat.previousConflictKinds.join(',') === verdict.kinds.join(',');
    const notice = unchanged
      ? null
      : `CONFLICT DETECTED: seat ${seat.seatId}${seat.runId ? ` (run ${seat.runId})` : ''} [${verdict.kinds.join(', ')}] ${witness.explanation}`;
    return { row: conflict, notice };
  }
}
