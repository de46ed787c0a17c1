/** Domain clock state → snake_case API shapes. */
import type { ClockStepDetected, ClockSynchronized } from '../application/clock-events';
import type { ServerClock } from '../application/booking-server-clock-set';
import type { ClockConfigResponse, SyncResultResponse } from './clock.responses';

const isoOrNull = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

export const presentConfig = (clock: ServerClock): ClockConfigResponse => ({
  server_id: clock.serverId,
  offset_ms: clock.config.offsetMs,
  drift_ppm: clock.config.driftPpm,
  jitter_ms: clock.config.jitterMs,
  outbound_delay_ms: clock.config.outboundDelayMs,
  inbound_delay_ms: clock.config.inboundDelayMs,
  never_syncs: clock.config.neverSyncs,
  step: clock.config.step ? { at_ms: clock.config.step.atMs, by_ms: clock.config.step.byMs } : null,
  strobe: clock.config.strobe
    ? { period_ms: clock.config.strobe.periodMs, alt_offset_ms: clock.config.strobe.altOffsetMs }
    : null,
  source: clock.configuredBy.source,
  scenario: clock.configuredBy.scenario,
  seed: clock.configuredBy.seed,
});

export const presentSync = (
  sync: ClockSynchronized['data'],
  stepDetected: ClockStepDetected['data'] | null = null,
): SyncResultResponse => ({
  server_id: sync.serverId,
  t1_ms: sync.timestamps.t1,
  t2_ms: sync.timestamps.t2,
  t3_ms: sync.timestamps.t3,
  t4_ms: sync.timestamps.t4,
  offset_ms: sync.thetaMs,
  delay_ms: sync.delayMs,
  error_bound_ms: sync.errorBoundMs,
  estimated_offset_before_ms: sync.estimatedOffsetBeforeMs,
  estimated_offset_after_ms: sync.estimatedOffsetAfterMs,
  true_offset_ms: sync.trueOffsetMs,
  synced_at: new Date(sync.referenceTimeMs).toISOString(),
  step_detected_ms: stepDetected?.jumpMs ?? null,
});

export { isoOrNull };
