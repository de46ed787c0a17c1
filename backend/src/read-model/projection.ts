import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../event-store/event-store.port';

/** What a projection reports after a batch commits, for the live stream and the logs. */
export interface ReadModelChange {
  readonly entity: 'seat' | 'attempt' | 'conflict' | 'clock';
  readonly id: string;
  readonly runId: string;
  readonly position: string;
}

export interface BatchOutcome {
  readonly changes: ReadModelChange[];
  /** Log lines to emit once the batch has committed (never for a rolled-back batch). */
  readonly notices: string[];
}

/** A batch computed from the read model as it stood, waiting to be written. */
export interface PlannedBatch {
  readonly outcome: BatchOutcome;
  /** Writes the batch: statements only, no reads and no work between them. */
  write(manager: EntityManager): Promise<void>;
}

/**
 * A read-model projection. `applyBatch` runs inside the runner's transaction,
 * together with the checkpoint update, so a batch is applied whole or not at all.
 *
 * `planBatch` splits the same work in two, so the live runner's transaction
 * holds only the writes: it reads and computes before the transaction opens
 * (the runner is the read model's only writer, and it checks in the
 * transaction that the checkpoint has not moved since). An open transaction
 * is what everyone else waits on: PGlite serves one at a time, and on a
 * server no later append becomes visible in the log while it runs.
 */
export interface Projection {
  readonly name: string;
  readonly tables: readonly string[];
  applyBatch(manager: EntityManager, events: readonly RecordedEvent[]): Promise<BatchOutcome>;
  /** Null when this batch can only be applied inside its transaction (it reads what it writes). */
  planBatch(reader: EntityManager, events: readonly RecordedEvent[]): Promise<PlannedBatch | null>;
  /** Deletes what the projection holds for one scenario run, before that run is replayed alone. */
  forgetRun(manager: EntityManager, runId: string): Promise<void>;
}

/** Scenario runs tag their events with data.runId; the live lab has none. */
export const runIdOf = (event: RecordedEvent): string => {
  const runId = event.data['runId'];
  return typeof runId === 'string' ? runId : '';
};
