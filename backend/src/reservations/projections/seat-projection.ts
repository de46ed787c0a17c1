/**
 * Seats, attempts and conflicts, projected set-based: a batch loads the seats
 * it touches (rows and attempts) in two statements, applies its events in
 * memory in log order (seat-batch.ts), analyses each touched seat once
 * (winners under every strategy, conflict kinds, witness) and writes each
 * table with one statement. The cost of a batch no longer grows with its
 * number of events in round trips, only in rows.
 */
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { BatchOutcome, Projection } from '../../read-model/projection';
import { decodeSeatEvent } from '../application/seat-event-codec';
import { SeatBatch, touchedSeatKeys, type PositionedSeatEvent, type SeatBatchResult } from './seat-batch';
import { insertAttempts, loadSeats, updateAttemptOutcomes, upsertConflicts, upsertSeats } from './seat-read-model-sql';

export { conflictIdOf } from './seat-batch';

const decodeSeatEvents = (events: readonly RecordedEvent[]): PositionedSeatEvent[] =>
  events.flatMap((recorded) => {
    const event = decodeSeatEvent(recorded.type, recorded.data);
    return event ? [{ event, position: recorded.position, recordedAt: recorded.createdAt }] : [];
  });

export class SeatProjection implements Projection {
  readonly name = 'seats';
  readonly tables = ['rm_conflicts', 'rm_attempts', 'rm_seats'];

  async applyBatch(manager: EntityManager, events: readonly RecordedEvent[]): Promise<BatchOutcome> {
    const seatEvents = decodeSeatEvents(events);
    if (seatEvents.length === 0) return { changes: [], notices: [] };
    const keys = touchedSeatKeys(seatEvents);
    const batch = new SeatBatch(keys, await loadSeats(manager, keys));
    for (const seatEvent of seatEvents) batch.apply(seatEvent);
    const result = batch.finish();
    await this.write(manager, result);
    return { changes: result.changes, notices: result.notices };
  }

  async forgetRun(manager: EntityManager, runId: string): Promise<void> {
    for (const table of this.tables) await manager.query(`DELETE FROM ${table} WHERE run_id = $1`, [runId]);
  }

  private async write(manager: EntityManager, result: SeatBatchResult): Promise<void> {
    await insertAttempts(manager, result.insertedAttempts);
    await updateAttemptOutcomes(manager, [
      ...result.updatedAttempts.map(({ attempt_id, outcome, outcome_reason }) => ({ attempt_id, outcome, outcome_reason })),
      ...[...result.revocationsElsewhere].map(([attempt_id, outcome_reason]) => ({
        attempt_id,
        outcome: 'lost',
        outcome_reason,
      })),
    ]);
    await upsertSeats(manager, result.seats);
    await upsertConflicts(manager, result.conflicts);
  }
}
