/** Builders for seat events with explicit clock stamps, for projection tests. */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../event-store/event-store.port';
import type { ClockReading } from '../reservations/domain/clock-reading';
import type { OrderingStrategy } from '../reservations/domain/seat-events';

export const T0 = 1_800_000_000_000;

export interface AttemptSpec {
  readonly customer: string;
  readonly server: string;
  /** True time of receipt, relative to T0. */
  readonly atMs: number;
  /** The server's real clock offset; its server time is atMs + offsetMs. */
  readonly offsetMs?: number;
  /** What NTP believes the offset is; default: exactly right. */
  readonly estimatedOffsetMs?: number;
  readonly errorBoundMs?: number;
  readonly seatId?: number;
  readonly runId?: string | null;
  readonly localDecision?: 'confirmed' | 'rejected';
  readonly attemptId?: string;
  /** The server's sync count when it stamped the attempt. */
  readonly syncEpoch?: number;
  /** How far the recorded truth may itself be off (a real clock's stamp); default: exact. */
  readonly referenceUncertaintyMs?: number;
}

export const clockFor = (spec: AttemptSpec): ClockReading => {
  const referenceTimeMs = T0 + spec.atMs;
  const serverTimeMs = referenceTimeMs + (spec.offsetMs ?? 0);
  const estimatedOffsetMs = spec.estimatedOffsetMs ?? spec.offsetMs ?? 0;
  return {
    serverId: spec.server,
    serverTimeMs,
    referenceTimeMs,
    estimatedOffsetMs,
    errorBoundMs: spec.errorBoundMs ?? 1,
    ntpCorrectedTimeMs: serverTimeMs - estimatedOffsetMs,
    hlc: `${String(Math.floor(serverTimeMs)).padStart(15, '0')}.0000000000.${spec.server}`,
    ...(spec.syncEpoch !== undefined ? { syncEpoch: spec.syncEpoch } : {}),
    ...(spec.referenceUncertaintyMs !== undefined ? { referenceUncertaintyMs: spec.referenceUncertaintyMs } : {}),
  };
};

export const attempted = (
  spec: AttemptSpec,
): { streamId: string; type: string; data: JsonObject; attemptId: string } => {
  const attemptId = spec.attemptId ?? randomUUID();
  return {
    streamId: `attempt-${attemptId}`,
    attemptId,
    type: 'ReservationAttempted',
    data: {
      attemptId,
      seatId: spec.seatId ?? 7,
      customerName: spec.customer,
      localDecision: spec.localDecision ?? 'confirmed',
      clock: { ...clockFor(spec) },
      runId: spec.runId ?? null,
    },
  };
};

export const seatAssigned = (
  seatId: number,
  winner: { attemptId: string; customer: string; server: string },
  decidedBy: OrderingStrategy = 'ntp_corrected',
  runId: string | null = null,
  /** The log position the authority had read; omitted: every attempt before the assignment. */
  consideredUpTo?: string,
) => ({
  type: 'SeatAssigned',
  data: {
    seatId,
    attemptId: winner.attemptId,
    customerName: winner.customer,
    serverId: winner.server,
    decidedBy,
    runId,
    ...(consideredUpTo !== undefined ? { consideredUpTo, windowMs: 2000 } : {}),
  } as JsonObject,
});

/** A sync of `server` found its clock had jumped: attempts of `suspectSyncEpoch` carried a bound that did not hold. */
export const clockStepDetected = (server: string, suspectSyncEpoch: number, runId: string | null = null) => ({
  type: 'ClockStepDetected',
  data: {
    serverId: server,
    jumpMs: 5000,
    allowedMs: 12,
    estimatedOffsetBeforeMs: 0,
    estimatedOffsetAfterMs: 5000,
    suspectSyncEpoch,
    referenceTimeMs: T0,
    runId,
  } as JsonObject,
});
