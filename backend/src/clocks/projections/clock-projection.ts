/** The clock/sync history per server, from ClockConfigured and ClockSynchronized events. */
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../event-store/event-store.port';
import {
  runIdOf,
  type BatchOutcome,
  type PlannedBatch,
  type Projection,
  type ReadModelChange,
} from '../../read-model/projection';
import { trueSkewMs } from '../domain/clock-model';
import { isClockEventType, type ClockEvent } from '../application/clock-events';

interface HistoryRow {
  readonly position: string;
  readonly runId: string;
  readonly serverId: string;
  readonly kind: 'configured' | 'synchronized';
  readonly referenceTimeMs: number;
  readonly trueOffsetMs: number;
  readonly estimated: number | null;
  readonly bound: number | null;
  readonly theta: number | null;
  readonly delay: number | null;
  readonly drift: number | null;
  readonly scenario: string | null;
}

const historyRowOf = (recorded: RecordedEvent): HistoryRow[] => {
  // Detected steps mark attempts: the seat projection keeps them (rm_clock_steps).
  if (!isClockEventType(recorded.type) || recorded.type === 'ClockStepDetected') return [];
  const event = { type: recorded.type, data: recorded.data } as unknown as Exclude<
    ClockEvent,
    { type: 'ClockStepDetected' }
  >;
  const common = {
    position: recorded.position.toString(),
    runId: runIdOf(recorded),
    serverId: event.data.serverId,
    referenceTimeMs: event.data.referenceTimeMs,
  };
  return [
    event.type === 'ClockConfigured'
      ? {
          ...common,
          kind: 'configured',
          trueOffsetMs: trueSkewMs(event.data.config, event.data.referenceTimeMs),
          estimated: null,
          bound: null,
          theta: null,
          delay: null,
          drift: event.data.config.driftPpm,
          scenario: event.data.scenario,
        }
      : {
          ...common,
          kind: 'synchronized',
          trueOffsetMs: event.data.trueOffsetMs,
          estimated: event.data.estimatedOffsetAfterMs,
          bound: event.data.errorBoundMs,
          theta: event.data.thetaMs,
          delay: event.data.delayMs,
          drift: null,
          scenario: null,
        },
  ];
};

const insertHistoryRows = async (manager: EntityManager, rows: readonly HistoryRow[]): Promise<void> => {
  for (const row of rows) {
    await manager.query(
      `INSERT INTO rm_clock_history (position, run_id, server_id, kind, reference_time_ms, true_offset_ms,
         estimated_offset_ms, error_bound_ms, theta_ms, delay_ms, drift_ppm, scenario)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (position) DO NOTHING`,
      [
        row.position,
        row.runId,
        row.serverId,
        row.kind,
        row.referenceTimeMs,
        row.trueOffsetMs,
        row.estimated,
        row.bound,
        row.theta,
        row.delay,
        row.drift,
        row.scenario,
      ],
    );
  }
};

export class ClockProjection implements Projection {
  readonly name = 'clocks';
  readonly tables = ['rm_clock_history'];

  async applyBatch(manager: EntityManager, events: readonly RecordedEvent[]): Promise<BatchOutcome> {
    const planned = await this.planBatch(manager, events);
    await planned.write(manager);
    return planned.outcome;
  }

  /** Clock history only appends what the events say: nothing to read first. */
  async planBatch(_reader: EntityManager, events: readonly RecordedEvent[]): Promise<PlannedBatch> {
    const rows = events.flatMap(historyRowOf);
    const changes: ReadModelChange[] = rows.map((row) => ({
      entity: 'clock',
      id: row.serverId,
      runId: row.runId,
      position: row.position,
    }));
    return { outcome: { changes, notices: [] }, write: (manager) => insertHistoryRows(manager, rows) };
  }

  async forgetRun(manager: EntityManager, runId: string): Promise<void> {
    await manager.query(`DELETE FROM rm_clock_history WHERE run_id = $1`, [runId]);
  }
}
