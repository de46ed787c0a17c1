/** The clock/sync history per server, from ClockConfigured and ClockSynchronized events. */
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../event-store/event-store.port';
import { runIdOf, type BatchOutcome, type Projection, type ReadModelChange } from '../../read-model/projection';
import { trueSkewMs } from '../domain/clock-model';
import { isClockEventType, type ClockEvent } from '../application/clock-events';

export class ClockProjection implements Projection {
  readonly name = 'clocks';
  readonly tables = ['rm_clock_history'];

  async applyBatch(manager: EntityManager, events: readonly RecordedEvent[]): Promise<BatchOutcome> {
    const changes: ReadModelChange[] = [];
    for (const recorded of events) {
      // Detected steps mark attempts: the seat projection keeps them (rm_clock_steps).
      if (!isClockEventType(recorded.type) || recorded.type === 'ClockStepDetected') continue;
      const event = { type: recorded.type, data: recorded.data } as unknown as Exclude<
        ClockEvent,
        { type: 'ClockStepDetected' }
      >;
      const row =
        event.type === 'ClockConfigured'
          ? {
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
              kind: 'synchronized',
              trueOffsetMs: event.data.trueOffsetMs,
              estimated: event.data.estimatedOffsetAfterMs,
              bound: event.data.errorBoundMs,
              theta: event.data.thetaMs,
              delay: event.data.delayMs,
              drift: null,
              scenario: null,
            };
      await manager.query(
        `INSERT INTO rm_clock_history (position, run_id, server_id, kind, reference_time_ms, true_offset_ms,
           estimated_offset_ms, error_bound_ms, theta_ms, delay_ms, drift_ppm, scenario)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (position) DO NOTHING`,
        [
          recorded.position.toString(),
          runIdOf(recorded),
          event.data.serverId,
          row.kind,
          event.data.referenceTimeMs,
          row.trueOffsetMs,
          row.estimated,
          row.bound,
          row.theta,
          row.delay,
          row.drift,
          row.scenario,
        ],
      );
      changes.push({
        entity: 'clock',
        id: event.data.serverId,
        runId: runIdOf(recorded),
        position: recorded.position.toString(),
      });
    }
    return { changes, notices: [] };
  }

  async forgetRun(manager: EntityManager, runId: string): Promise<void> {
    await manager.query(`DELETE FROM rm_clock_history WHERE run_id = $1`, [runId]);
  }
}
