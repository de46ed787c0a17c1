/**
 * Seats, attempts and conflicts, projected set-based: a batch loads the seats
 * it touches (rows with their incremental resolution), applies its events in
 * memory in log order (seat-batch.ts), and writes each table with one
 * statement. Who competes, who could be first, who wins and why the others
 * lost come from the one resolution rule (domain/resolution); the projection
 * persists that and adds the lab's truth-based scoring. The cost of a batch
 * grows with its rows, not with its number of events in round trips.
 */
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { BatchOutcome, PlannedBatch, Projection } from '../../read-model/projection';
import { decodeSeatEvent } from '../application/seat-event-codec';
import { decodeLabSessionStarted, LAB_SESSION_STARTED, sessionIdOf, sessionOfSeatStream } from '../domain/lab-session';
import { loadCurrentSession, startLabSession } from './lab-session-sql';
import {
  attemptIdsOf,
  SeatBatch,
  suspectKeyOf,
  touchedSeatKeys,
  type PositionedSeatEvent,
  type SeatBatchResult,
} from './seat-batch';
import {
  deleteConflicts,
  insertAttempts,
  loadAllAttemptsOf,
  loadRunWindows,
  loadSeats,
  loadStoredAttemptIds,
  loadSuspectEpochs,
  markRevoked,
  recordClockSteps,
  updateAttemptOutcomes,
  upsertConflicts,
  upsertRuns,
  upsertSeats,
  type ClockStepRow,
  type RunRow,
} from './seat-read-model-sql';

export { conflictIdOf } from './seat-batch';

/** The live lab's window when none is configured (CONFLICT_WINDOW_MS's default). */
export const DEFAULT_WINDOW_MS = 2000;

/**
 * Seat events, each under the run it belongs to. A seat decision of a session
 * that has ended since (settlement was in flight during a reset) belongs to
 * that session's rows, not to the current session's seat.
 */
const decodeSeatEvents = (events: readonly RecordedEvent[], currentSession: number): PositionedSeatEvent[] =>
  events.flatMap((recorded) => {
    const decoded = decodeSeatEvent(recorded.type, recorded.data);
    if (!decoded) return [];
    const session = decoded.data.runId ? null : sessionOfSeatStream(recorded.streamId);
    const event =
      session !== null && session < currentSession
        ? ({ ...decoded, data: { ...decoded.data, runId: sessionIdOf(session) } } as typeof decoded)
        : decoded;
    return [{ event, position: recorded.position, recordedAt: recorded.createdAt }];
  });

/** A run started in this batch is not stored yet: its window comes from its start event (a stored one wins, as upsertRuns keeps it). */
const withRunsStarted = (stored: Map<string, number>, runs: readonly RunRow[]): Map<string, number> => {
  for (const run of runs) if (!stored.has(run.run_id)) stored.set(run.run_id, run.conflict_window_ms);
  return stored;
};

const hasSeatStreamEvents = (events: readonly RecordedEvent[]): boolean =>
  events.some((recorded) => sessionOfSeatStream(recorded.streamId) !== null);

const runsStartedIn = (events: readonly RecordedEvent[]): RunRow[] =>
  events.flatMap((recorded) => {
    if (recorded.type !== 'ScenarioRunStarted') return [];
    const { runId, conflictWindowMs } = recorded.data as { runId?: unknown; conflictWindowMs?: unknown };
    return typeof runId === 'string' && typeof conflictWindowMs === 'number'
      ? [{ run_id: runId, conflict_window_ms: conflictWindowMs, started_position: recorded.position.toString() }]
      : [];
  });

const stepsDetectedIn = (events: readonly RecordedEvent[]): ClockStepRow[] =>
  events.flatMap((recorded) => {
    if (recorded.type !== 'ClockStepDetected') return [];
    const data = recorded.data as Record<string, unknown>;
    return [
      {
        position: recorded.position.toString(),
        run_id: typeof data['runId'] === 'string' ? data['runId'] : '',
        server_id: String(data['serverId']),
        suspect_sync_epoch: Number(data['suspectSyncEpoch']),
        jump_ms: Number(data['jumpMs']),
        allowed_ms: Number(data['allowedMs']),
        reference_time_ms: Number(data['referenceTimeMs']),
      },
    ];
  });

/** What a segment of a batch writes, computed from the read model as it stood before it. */
interface SegmentPlan {
  readonly runs: readonly RunRow[];
  readonly steps: readonly ClockStepRow[];
  readonly result: SeatBatchResult | null;
}

const outcomeOf = ({ result }: SegmentPlan): BatchOutcome => ({
  changes: result?.changes ?? [],
  notices: result?.notices ?? [],
});

export class SeatProjection implements Projection {
  readonly name = 'seats';
  readonly tables = ['rm_conflicts', 'rm_attempts', 'rm_seats', 'rm_runs', 'rm_clock_steps', 'rm_lab_sessions'];

  constructor(private readonly liveWindowMs: number = DEFAULT_WINDOW_MS) {}

  async applyBatch(manager: EntityManager, events: readonly RecordedEvent[]): Promise<BatchOutcome> {
    // A reset splits the batch: what came before it belongs to the session it ends.
    const reset = events.findIndex((recorded) => recorded.type === LAB_SESSION_STARTED);
    if (reset < 0) return this.applySegment(manager, events);
    const before = await this.applySegment(manager, events.slice(0, reset));
    const marker = events[reset]!;
    const started = decodeLabSessionStarted(marker.type, marker.data);
    if (started) await startLabSession(manager, started, marker.position, this.liveWindowMs);
    const after = await this.applyBatch(manager, events.slice(reset + 1));
    return { changes: [...before.changes, ...after.changes], notices: [...before.notices, ...after.notices] };
  }

  /** A reset moves rows the rest of its batch then reads: such a batch is applied inside its transaction. */
  async planBatch(reader: EntityManager, events: readonly RecordedEvent[]): Promise<PlannedBatch | null> {
    if (events.some((recorded) => recorded.type === LAB_SESSION_STARTED)) return null;
    const plan = await this.planSegment(reader, events);
    return { outcome: outcomeOf(plan), write: (manager) => this.writeSegment(manager, plan) };
  }

  private async applySegment(manager: EntityManager, events: readonly RecordedEvent[]): Promise<BatchOutcome> {
    const plan = await this.planSegment(manager, events);
    await this.writeSegment(manager, plan);
    return outcomeOf(plan);
  }

  /** Reads what the segment needs and applies it in memory; writes nothing. */
  private async planSegment(reader: EntityManager, events: readonly RecordedEvent[]): Promise<SegmentPlan> {
    const runs = runsStartedIn(events);
    const steps = stepsDetectedIn(events);
    const currentSession = hasSeatStreamEvents(events) ? await loadCurrentSession(reader) : 1;
    const seatEvents = decodeSeatEvents(events, currentSession);
    if (seatEvents.length === 0) return { runs, steps, result: null };
    const keys = touchedSeatKeys(seatEvents);
    const runIds = [...new Set(keys.map((key) => key.runId).filter(Boolean))];
    const servers = new Map<string, { runId: string; serverId: string }>();
    for (const { event } of seatEvents) {
      if (event.type !== 'ReservationAttempted') continue;
      const runId = event.data.runId ?? '';
      servers.set(`${runId}\u0000${event.data.clock.serverId}`, { runId, serverId: event.data.clock.serverId });
    }
    const batch = new SeatBatch(keys, await loadSeats(reader, keys), {
      liveWindowMs: this.liveWindowMs,
      runWindows: withRunsStarted(await loadRunWindows(reader, runIds), runs),
      storedAttemptIds: await loadStoredAttemptIds(reader, attemptIdsOf(seatEvents)),
      suspectEpochs: await loadSuspectEpochs(reader, [...servers.values()]),
    });
    // Steps and attempts are applied in log order: a step only marks the attempts stamped before it.
    let nextStep = 0;
    for (const seatEvent of seatEvents) {
      while (nextStep < steps.length && BigInt(steps[nextStep]!.position) < seatEvent.position) {
        const step = steps[nextStep]!;
        batch.markOutOfBound(step.run_id, step.server_id, step.suspect_sync_epoch);
        nextStep += 1;
      }
      batch.apply(seatEvent);
    }
    const result = batch.finish(await loadAllAttemptsOf(reader, batch.seatsNeedingAllAttempts()));
    return { runs, steps, result };
  }

  async forgetRun(manager: EntityManager, runId: string): Promise<void> {
    for (const table of this.tables) {
      if (table !== 'rm_lab_sessions') await manager.query(`DELETE FROM ${table} WHERE run_id = $1`, [runId]);
    }
  }

  private async writeSegment(manager: EntityManager, { runs, steps, result }: SegmentPlan): Promise<void> {
    await upsertRuns(manager, runs);
    if (result) {
      await insertAttempts(manager, result.insertedAttempts);
      await updateAttemptOutcomes(manager, result.outcomeUpdates);
      await markRevoked(manager, result.revokedAttemptIds);
    }
    // After the inserts: a step marks every attempt of its epoch, this batch's included.
    await recordClockSteps(manager, steps);
    if (!result) return;
    await upsertSeats(manager, result.seats);
    await upsertConflicts(manager, result.conflicts);
    await deleteConflicts(manager, result.resolvedConflictIds);
  }
}

export { suspectKeyOf };
