/**
 * Generates a run's attempts on a virtual reference clock, deterministically:
 * which customer books which seat on which server, when (reference time), and
 * what that server's clock says at that moment (offset, drift, jitter, the
 * simulated NTP sync state with its estimate and error bound, corrected time,
 * HLC stamp).
 *
 * Random streams are split by purpose (one per seat for arrivals, one per
 * server for jitter and for NTP exchanges), so a what-if that changes only
 * the clocks keeps exactly the same customers, servers and arrival times.
 */
import {
  correctedReading,
  createSeededRandom,
  deriveSeed,
  encodeHlc,
  initialHlc,
  neverSynchronized,
  sampleJitterMs,
  serverTime,
  syncSimulatedServer,
  tick,
  type ClockConfig,
  type HlcStamp,
  type RandomSource,
  type SyncState,
} from '../../clocks/domain';
import { storableErrorBoundMs, type ClockReading } from '../../reservations/domain/clock-reading';
import { deterministicUuid } from './run-identity';
import type { RunParameters } from './run-parameters';

export interface GeneratedAttempt {
  /** Place in reference-time order, 0-based: also the order the attempts are appended in. */
  readonly ordinal: number;
  readonly attemptId: string;
  readonly seatId: number;
  readonly customerName: string;
  readonly clock: ClockReading;
}

const CUSTOMER_NAMES = ['ana', 'bob', 'chen', 'dara', 'eli', 'fatou', 'gus', 'hana', 'ivan', 'jun', 'kofi', 'lena'];

/** Reference time at which the bursts begin: one second after the start, when every server has synced once. */
const FIRST_BURST_DELAY_MS = 1000;

/** Microsecond resolution keeps attempt times readable and exactly reproducible. */
const toMicroseconds = (ms: number): number => Math.round(ms * 1000) / 1000;

interface Arrival {
  readonly seatId: number;
  readonly index: number;
  readonly serverId: string;
  readonly referenceTimeMs: number;
  readonly customerName: string;
}

const arrivalsOf = (parameters: RunParameters): Arrival[] => {
  const arrivals: Arrival[] = [];
  const servers = parameters.serverIds;
  for (let seatId = 1; seatId <= parameters.seats; seatId += 1) {
    const random = createSeededRandom(deriveSeed(parameters.seed, 'arrivals', seatId));
    const burstStartMs = parameters.startReferenceMs + FIRST_BURST_DELAY_MS + (seatId - 1) * parameters.seatIntervalMs;
    for (let index = 0; index < parameters.attemptsPerSeat; index += 1) {
      const serverId = servers[Math.floor(random() * servers.length)]!;
      const referenceTimeMs = toMicroseconds(burstStartMs + random() * parameters.spreadMs);
      const name = CUSTOMER_NAMES[Math.floor(random() * CUSTOMER_NAMES.length)]!;
      arrivals.push({ seatId, index, serverId, referenceTimeMs, customerName: `${name}-${seatId}.${index + 1}` });
    }
  }
  // Ties in reference time keep generation order, so the sort is total and stable.
  return arrivals.sort((a, b) => a.referenceTimeMs - b.referenceTimeMs || a.seatId - b.seatId || a.index - b.index);
};

/** One booking server's clock as the run advances through reference time. */
class SimulatedServer {
  private syncState: SyncState = neverSynchronized;
  private nextSyncMs: number;
  private hlc: HlcStamp;
  private readonly jitter: RandomSource;
  private readonly exchanges: RandomSource;

  constructor(
    readonly serverId: string,
    private readonly config: ClockConfig,
    private readonly parameters: RunParameters,
  ) {
    const phase = createSeededRandom(deriveSeed(parameters.seed, 'sync-phase', serverId))();
    // Each server syncs on its own schedule, the first exchange shortly before the run starts.
    this.nextSyncMs = parameters.startReferenceMs - phase * Math.min(parameters.syncIntervalMs, FIRST_BURST_DELAY_MS);
    this.hlc = initialHlc(serverId);
    this.jitter = createSeededRandom(deriveSeed(parameters.seed, 'jitter', serverId));
    this.exchanges = createSeededRandom(deriveSeed(parameters.seed, 'ntp', serverId));
  }

  read(referenceTimeMs: number): ClockReading {
    while (this.nextSyncMs <= referenceTimeMs) {
      this.syncState = syncSimulatedServer(this.config, this.syncState, this.nextSyncMs, this.exchanges).state;
      this.nextSyncMs += this.parameters.syncIntervalMs;
    }
    const serverTimeMs = serverTime(this.config, referenceTimeMs, sampleJitterMs(this.jitter, this.config.jitterMs));
    const corrected = correctedReading(serverTimeMs, this.syncState);
    this.hlc = tick(this.hlc, serverTimeMs);
    return {
      serverId: this.serverId,
      serverTimeMs,
      referenceTimeMs,
      estimatedOffsetMs: corrected.estimatedOffsetMs,
      errorBoundMs: storableErrorBoundMs(corrected.errorBoundMs),
      ntpCorrectedTimeMs: corrected.ntpCorrectedTimeMs,
      hlc: encodeHlc(this.hlc),
    };
  }
}

export const generateAttempts = (
  runId: string,
  parameters: RunParameters,
  clocks: Readonly<Record<string, ClockConfig>>,
): GeneratedAttempt[] => {
  const servers = new Map(
    parameters.serverIds.map((serverId) => [serverId, new SimulatedServer(serverId, clocks[serverId]!, parameters)]),
  );
  return arrivalsOf(parameters).map((arrival, ordinal) => ({
    ordinal,
    attemptId: deterministicUuid(runId, 'attempt', arrival.seatId, arrival.index),
    seatId: arrival.seatId,
    customerName: arrival.customerName,
    clock: servers.get(arrival.serverId)!.read(arrival.referenceTimeMs),
  }));
};
