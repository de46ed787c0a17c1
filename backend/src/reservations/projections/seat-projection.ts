/**
 * Seats, attempts and conflicts. Attempts are inserted as they arrive; each
 * touched seat is re-analysed once per batch (winners under every strategy,
 * conflict kinds, witness), which keeps a hot seat at one analysis per batch.
 */
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { BatchOutcome, Projection, ReadModelChange } from '../../read-model/projection';
import { analyseSeat } from '../domain/conflict-analysis';
import { decodeSeatEvent } from '../application/seat-event-codec';
import type { ReservationAttempted, ReservationRevoked, SeatAssigned } from '../domain/seat-events';
import { toAttemptStamps, type AttemptRow } from './attempt-row';
import { buildWitness } from './conflict-witness';

const seatKey = (runId: string, seatId: number): string => `${runId}\u0000${seatId}`;
export const conflictIdOf = (runId: string, seatId: number): string =>
  runId ? `run-${runId}-seat-${seatId}` : `seat-${seatId}`;

export class SeatProjection implements Projection {
  readonly name = 'seats';
  readonly tables = ['rm_conflicts', 'rm_attempts', 'rm_seats'];

  async applyBatch(manager: EntityManager, events: readonly RecordedEvent[]): Promise<BatchOutcome> {
    const touched = new Map<string, { runId: string; seatId: number; position: bigint }>();
    const changes: ReadModelChange[] = [];
    for (const recorded of events) {
      const event = decodeSeatEvent(recorded.type, recorded.data);
      if (!event) continue;
      const runId = event.data.runId ?? '';
      touched.set(seatKey(runId, event.data.seatId), { runId, seatId: event.data.seatId, position: recorded.position });
      switch (event.type) {
        case 'ReservationAttempted':
          await this.recordAttempt(manager, event, recorded);
          break;
        case 'SeatAssigned':
          await this.assignSeat(manager, event, recorded.position);
          break;
        case 'ReservationRevoked':
          await this.revoke(manager, event);
          break;
      }
      changes.push({ entity: 'attempt', id: event.data.attemptId, runId, position: recorded.position.toString() });
    }
    const notices: string[] = [];
    for (const seat of touched.values()) {
      const notice = await this.analyse(manager, seat.runId, seat.seatId, seat.position);
      if (notice) {
        notices.push(notice);
        changes.push({
          entity: 'conflict',
          id: conflictIdOf(seat.runId, seat.seatId),
          runId: seat.runId,
          position: seat.position.toString(),
        });
      }
      changes.push({ entity: 'seat', id: String(seat.seatId), runId: seat.runId, position: seat.position.toString() });
    }
    return { changes, notices };
  }

  async forgetRun(manager: EntityManager, runId: string): Promise<void> {
    for (const table of this.tables) await manager.query(`DELETE FROM ${table} WHERE run_id = $1`, [runId]);
  }

  private async recordAttempt(
    manager: EntityManager,
    event: ReservationAttempted,
    recorded: RecordedEvent,
  ): Promise<void> {
    const { data } = event;
    const runId = data.runId ?? '';
    // An attempt that arrives after the seat is assigned has lost already.
    const holder: { holder_customer_name: string | null }[] = await manager.query(
      `SELECT holder_customer_name FROM rm_seats WHERE run_id = $1 AND seat_id = $2 AND holder_attempt_id IS NOT NULL`,
      [runId, data.seatId],
    );
    const lateReason = holder[0] ? `the seat was already assigned to ${holder[0].holder_customer_name}` : null;
    await manager.query(
      `INSERT INTO rm_attempts (attempt_id, run_id, seat_id, customer_name, server_id, local_decision, outcome, outcome_reason,
         server_time_ms, reference_time_ms, estimated_offset_ms, error_bound_ms, ntp_corrected_time_ms, hlc, log_position, recorded_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)
       ON CONFLICT (attempt_id) DO NOTHING`,
      [
        data.attemptId,
        runId,
        data.seatId,
        data.customerName,
        data.clock.serverId,
        data.localDecision,
        lateReason ? 'lost' : 'pending',
        lateReason,
        data.clock.serverTimeMs,
        data.clock.referenceTimeMs,
        data.clock.estimatedOffsetMs,
        data.clock.errorBoundMs,
        data.clock.ntpCorrectedTimeMs,
        data.clock.hlc,
        recorded.position.toString(),
        recorded.createdAt,
      ],
    );
    await manager.query(
      `INSERT INTO rm_seats (run_id, seat_id, attempts_count, first_attempt_reference_ms, updated_position)
       VALUES ($1, $2, 0, $3, $4)
       ON CONFLICT (run_id, seat_id) DO UPDATE
         SET first_attempt_reference_ms = LEAST(rm_seats.first_attempt_reference_ms, EXCLUDED.first_attempt_reference_ms)`,
      [runId, data.seatId, data.clock.referenceTimeMs, recorded.position.toString()],
    );
  }

  private async assignSeat(manager: EntityManager, event: SeatAssigned, position: bigint): Promise<void> {
    const { data } = event;
    const runId = data.runId ?? '';
    await manager.query(
      `INSERT INTO rm_seats (run_id, seat_id, holder_attempt_id, holder_customer_name, holder_server_id, decided_by, assigned_position, updated_position)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$7)
       ON CONFLICT (run_id, seat_id) DO UPDATE SET holder_attempt_id = EXCLUDED.holder_attempt_id,
         holder_customer_name = EXCLUDED.holder_customer_name, holder_server_id = EXCLUDED.holder_server_id,
         decided_by = EXCLUDED.decided_by, assigned_position = EXCLUDED.assigned_position`,
      [runId, data.seatId, data.attemptId, data.customerName, data.serverId, data.decidedBy, position.toString()],
    );
    await manager.query(
      `UPDATE rm_attempts SET
         outcome = CASE WHEN attempt_id = $3 THEN 'won' ELSE 'lost' END,
         outcome_reason = CASE WHEN attempt_id = $3 THEN $4 ELSE COALESCE(outcome_reason, $5) END
       WHERE run_id = $1 AND seat_id = $2`,
      [
        runId,
        data.seatId,
        data.attemptId,
        `first by ${data.decidedBy} order`,
        `${data.customerName} (${data.serverId}) came first by ${data.decidedBy} order`,
      ],
    );
  }

  private async revoke(manager: EntityManager, event: ReservationRevoked): Promise<void> {
    await manager.query(`UPDATE rm_attempts SET outcome = 'lost', outcome_reason = $2 WHERE attempt_id = $1`, [
      event.data.attemptId,
      `revoked: ${event.data.reason}`,
    ]);
  }

  /** Re-derives the seat's winners and conflicts; returns a CONFLICT DETECTED line when its kinds changed. */
  private async analyse(
    manager: EntityManager,
    runId: string,
    seatId: number,
    position: bigint,
  ): Promise<string | null> {
    const rows: AttemptRow[] = await manager.query(
      `SELECT * FROM rm_attempts WHERE run_id = $1 AND seat_id = $2 ORDER BY log_position`,
      [runId, seatId],
    );
    const attempts = rows.map(toAttemptStamps);
    const analysis = analyseSeat(attempts);
    if (!analysis) return null;
    const { winners } = analysis;
    await manager.query(
      `UPDATE rm_seats SET attempts_count = $3, winner_server_clock = $4, winner_ntp_corrected = $5, winner_log_order = $6,
         winner_hlc = $7, winner_truth = $8, conflict_kinds = $9, updated_position = $10
       WHERE run_id = $1 AND seat_id = $2`,
      [
        runId,
        seatId,
        attempts.length,
        winners.server_clock.attemptId,
        winners.ntp_corrected.attemptId,
        winners.log_order.attemptId,
        winners.hlc.attemptId,
        winners.truth.attemptId,
        analysis.kinds,
        position.toString(),
      ],
    );
    if (analysis.kinds.length === 0) return null;
    const id = conflictIdOf(runId, seatId);
    const previous: { kinds: string[] }[] = await manager.query(`SELECT kinds FROM rm_conflicts WHERE id = $1`, [id]);
    const witness = buildWitness(analysis, attempts);
    await manager.query(
      `INSERT INTO rm_conflicts (id, run_id, seat_id, kinds, server_ids, attempts_count, witness, first_detected_position, updated_position)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
       ON CONFLICT (id) DO UPDATE SET kinds = EXCLUDED.kinds, server_ids = EXCLUDED.server_ids,
         attempts_count = EXCLUDED.attempts_count, witness = EXCLUDED.witness, updated_position = EXCLUDED.updated_position`,
      [
        id,
        runId,
        seatId,
        analysis.kinds,
        [...new Set(attempts.map((a) => a.serverId))].sort(),
        attempts.length,
        JSON.stringify(witness),
        // The second attempt in log order is where contention (hence any conflict) began,
        // whatever the batch boundaries were: rebuilds must equal incremental projection.
        attempts[1]!.logPosition.toString(),
        position.toString(),
      ],
    );
    const previousKinds = previous[0]?.kinds ?? [];
    if (previousKinds.join(',') === analysis.kinds.join(',')) return null;
    return `CONFLICT DETECTED: seat ${seatId}${runId ? ` (run ${runId})` : ''} [${analysis.kinds.join(', ')}] ${witness.explanation}`;
  }
}
