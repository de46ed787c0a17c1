/**
 * Seats, attempts and conflicts, projected set-based: a batch loads the seats
 * it touches (rows with their incremental analysis) and the stored attempts
 * its events name, applies its events in memory in log order
 * (seat-batch.ts), folds each touched seat's new attempts into its analysis
 * (winners under every strategy, conflict kinds, witness) and writes each
 * table with one statement. The cost of a batch grows with its rows, not
 * with its number of events in round trips nor with the size of the seats it
 * touches.
 */
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { BatchOutcome, Projection } from '../../read-model/projection';
import { decodeSeatEvent } from '../application/seat-event-codec';
import {
  referencedAttemptIds,
  seatKeyOf,
  SeatBatch,
  touchedSeatKeys,
  type PositionedSeatEvent,
  type SeatBatchResult,
} from './seat-batch';
import {
  insertAttempts,
  loadAllAttemptsOf,
  loadAttemptsById,
  loadCorrectedTimeWindows,
  loadSeats,
  markStoredAttemptsLost,
  updateAttemptOutcomes,
  upsertConflicts,
  upsertSeats,
} from './seat-read-model-sql';

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
    const loaded = await loadSeats(manager, keys);
    // Seats projected before rm_seats.analysis existed get theirs computed from all their attempts, once.
    const legacy = keys.filter((key) => {
      const row = loaded.get(seatKeyOf(key.runId, key.seatId))?.row;
      return row != null && row.analysis === null && row.attempts_count > 0;
    });
    const batch = new SeatBatch(keys, loaded, await loadAttemptsById(manager, referencedAttemptIds(seatEvents)));
    for (const seatEvent of seatEvents) batch.apply(seatEvent);
    const windowRequests = batch.fold(await loadAllAttemptsOf(manager, legacy));
    const result = batch.finish(await loadCorrectedTimeWindows(manager, windowRequests));
    await this.write(manager, result);
    return { changes: result.changes, notices: result.notices };
  }

  async forgetRun(manager: EntityManager, runId: string): Promise<void> {
    for (const table of this.tables) await manager.query(`DELETE FROM ${table} WHERE run_id = $1`, [runId]);
  }

  private async write(manager: EntityManager, result: SeatBatchResult): Promise<void> {
    // Before the inserts: it must not touch the attempts this batch adds (they are written whole).
    await markStoredAttemptsLost(manager, result.storedAttemptsLost);
    await insertAttempts(manager, result.insertedAttempts);
    await updateAttemptOutcomes(manager, [
      ...result.updatedAttempts.map(({ attempt_id, outcome, outcome_reason }) => ({
        attempt_id,
        outcome,
        outcome_reason,
      })),
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
