/**
 * One booking server's clock as a seeded run advances through reference
 * time: its configured clock model, its NTP syncs on its own schedule (each a
 * simulated RFC 5905 exchange, with step detection), its HLC, and its path to
 * the event store. Random streams are split by purpose (jitter, NTP exchanges,
 * path to the log), so a what-if that changes only one of them keeps the others.
 */
import {
  correctedReading,
  createSeededRandom,
  deriveSeed,
  detectStep,
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
import type { RunParameters } from './run-parameters';

/** Reference time at which the bursts begin: one second after the start, when every server has synced once. */
export const FIRST_BURST_DELAY_MS = 1000;

/** A sync that found the clock had jumped past its bound since the previous one. */
export interface StepAtSync {
  readonly serverId: string;
  readonly syncReferenceMs: number;
  readonly jumpMs: number;
  readonly allowedMs: number;
  readonly estimatedOffsetBeforeMs: number;
  readonly estimatedOffsetAfterMs: number;
  /** Attempts of this epoch were stamped under the bound that did not hold. */
  readonly suspectSyncEpoch: number;
}

export class SimulatedBookingServer {
  private syncState: SyncState = neverSynchronized;
  private syncEpoch = 0;
  /** Reference time of this server's next NTP exchange. */
  nextSyncMs: number;
  private hlc: HlcStamp;
  private readonly jitter: RandomSource;
  private readonly exchanges: RandomSource;
  private readonly logPath: RandomSource;

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
    this.logPath = createSeededRandom(deriveSeed(parameters.seed, 'log-path', serverId));
  }

  /** The exchange due at nextSyncMs; the next one is scheduled a sync interval later. */
  syncNow(): StepAtSync | null {
    const syncReferenceMs = this.nextSyncMs;
    this.nextSyncMs += this.parameters.syncIntervalMs;
    const previous = this.syncState;
    const result = syncSimulatedServer(this.config, previous, syncReferenceMs, this.exchanges, {
      // Ten missed syncs in a row leave no bound, as in the live lab.
      staleAfterMs: 10 * this.parameters.syncIntervalMs,
    });
    this.syncState = result.state;
    if (result.kind !== 'synchronized' || result.state.kind !== 'synchronized') return null;
    const suspectSyncEpoch = this.syncEpoch;
    this.syncEpoch += 1;
    const step = detectStep(previous, result.state);
    if (!step || previous.kind !== 'synchronized') return null;
    return {
      serverId: this.serverId,
      syncReferenceMs,
      jumpMs: step.jumpMs,
      allowedMs: step.allowedMs,
      estimatedOffsetBeforeMs: previous.estimatedOffsetMs,
      estimatedOffsetAfterMs: result.state.estimatedOffsetMs,
      suspectSyncEpoch,
    };
  }

  /** What the server's clock says of an attempt it receives at reference time t (syncs up to t already run). */
  read(referenceTimeMs: number): ClockReading {
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
      syncEpoch: this.syncEpoch,
    };
  }

  /** How long the next event of this server takes to reach the event store, ms. */
  logDelayMs(): number {
    const baseMs = this.config.logDelayMs ?? 0;
    const jitterMs = this.config.logDelayJitterMs ?? 0;
    return jitterMs > 0 ? baseMs + this.logPath() * jitterMs : baseMs;
  }
}
