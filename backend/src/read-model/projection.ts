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

/**
 * A read-model projection. `applyBatch` runs inside the runner's transaction,
 * together with the checkpoint update, so a batch is applied whole or not at all.
 */
export interface Projection {
  readonly name: string;
  readonly tables: readonly string[];
  applyBatch(manager: EntityManager, events: readonly RecordedEvent[]): Promise<BatchOutcome>;
  /** Deletes what the projection holds for one scenario run, before that run is replayed alone. */
  forgetRun(manager: EntityManager, runId: string): Promise<void>;
}

/** Scenario runs tag their events with data.runId; the live lab has none. */
export const runIdOf = (event: RecordedEvent): string => {
  const runId = event.data['runId'];
  return typeof runId === 'string' ? runId : '';
};
