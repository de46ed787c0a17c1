/**
 * The booking servers' clocks, live: each server's configured clock model,
 * its NTP sync state and its hybrid logical clock. Every change of
 * configuration and every sync is appended to the log first, so the clock
 * history is replayable and a restart resumes where it stopped.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend, JsonObject, RecordedEvent } from '../../event-store/event-store.port';
import {
  storableErrorBoundMs,
  type BookingServerClocks,
  type ClockReading,
} from '../../reservations/domain/clock-reading';
import {
  configuredOffsetMs,
  perfectClock,
  reconfigure,
  serverTime,
  trueSkewMs,
  type ClockChange,
  type ClockConfig,
} from '../domain/clock-model';
import { correctedReading } from '../domain/corrected-time';
import {
  compareHlc,
  decodeHlc,
  encodeHlc,
  initialHlc,
  receive,
  tick,
  type HlcStamp,
} from '../domain/hybrid-logical-clock';
import { applyScenario } from '../domain/scenarios';
import { createSeededRandom, deriveSeed, sampleJitterMs, type RandomSource } from '../domain/seeded-random';
import { syncSimulatedServer } from '../domain/simulated-sync';
import { detectStep } from '../domain/step-detection';
import { errorBoundMs, neverSynchronized, unbounded, type SyncState } from '../domain/sync-state';
import type { ReferenceClock } from '../ntp/reference-clock';
import {
  CLOCK_STREAM_PREFIX,
  clockStreamId,
  isClockEventType,
  type ClockEvent,
  type ClockStepDetected,
  type ClockSynchronized,
} from './clock-events';
import { RealClockNotConfigurableError, type BracketedReading, type RealProcessClock } from './real-process-clock';

export interface ServerClock {
  readonly serverId: string;
  config: ClockConfig;
  sync: SyncState;
  /** How many syncs the server has made (attempts carry it; a detected step marks one epoch). */
  syncEpoch: number;
  hlc: HlcStamp;
  random: RandomSource;
  lastSyncReferenceMs: number | null;
  configuredBy: { source: 'scenario' | 'manual'; scenario: string | null; seed: number | null };
  /** Steps detected at this server's syncs, since the start of the log. */
  stepsDetected: number;
  /** The clock stream's last revision applied here (-1: none), whoever appended it. */
  appliedRevision: bigint;
}

export class ServerNeverSyncsError extends Error {
  override readonly name = 'ServerNeverSyncsError';
  constructor(readonly serverId: string) {
    super(`${serverId} is configured to never synchronise (never_syncs); its clock cannot be synced`);
  }
}

export class UnknownServerError extends Error {
  override readonly name = 'UnknownServerError';
  constructor(
    readonly serverId: string,
    readonly known: readonly string[],
  ) {
    super(`unknown server_id "${serverId}"; known: ${known.join(', ')}`);
  }
}

export type ClockConfigChange = ClockChange;

export type SyncStateName = 'synchronized' | 'never_synchronized' | 'never_syncs' | 'clock_replaced' | 'stale';

/** Why a server has (or lacks) a bound, in one word for the status. */
const syncStateOf = (sync: SyncState, boundMs: number): SyncStateName => {
  if (sync.kind === 'synchronized') return Number.isFinite(boundMs) ? 'synchronized' : 'stale';
  return sync.reason === 'never_syncs' || sync.reason === 'clock_replaced' ? sync.reason : 'never_synchronized';
};

export interface ClockSetOptions {
  readonly scenario: string;
  readonly seed: number;
  /** A sync older than this (server clock) is stale beyond reason: the bound becomes unbounded. */
  readonly staleSyncAfterMs?: number;
  /**
   * CLOCK_SOURCE=real: the servers this node hosts run on the process's clock and sync with real NTP
   * (real-process-clock.ts); the others are what their clock streams say.
   */
  readonly realClock?: { readonly clock: RealProcessClock; readonly servers: readonly string[] };
}

export interface SyncOutcome {
  readonly sync: ClockSynchronized['data'];
  readonly stepDetected: ClockStepDetected['data'] | null;
}

export class BookingServerClockSet implements BookingServerClocks {
  private readonly clocks = new Map<string, ServerClock>();

  constructor(
    private readonly store: EventStore,
    private readonly reference: ReferenceClock,
    serverIds: readonly string[],
    private readonly defaults: ClockSetOptions,
  ) {
    const start = applyScenario(defaults.scenario, serverIds, defaults.seed, { startReferenceMs: 0 });
    for (const serverId of serverIds) {
      this.clocks.set(serverId, {
        serverId,
        // A real clock has no model: an all-zero one shows that none applies.
        config: this.isRealClock(serverId) ? perfectClock() : start[serverId]!,
        sync: neverSynchronized,
        syncEpoch: 0,
        hlc: initialHlc(serverId),
        random: createSeededRandom(deriveSeed('live', serverId, Date.now())),
        lastSyncReferenceMs: null,
        configuredBy: this.isRealClock(serverId)
          ? { source: 'manual', scenario: null, seed: null }
          : { source: 'scenario', scenario: defaults.scenario, seed: defaults.seed },
        stepsDetected: 0,
        appliedRevision: -1n,
      });
    }
  }

  serverIds(): readonly string[] {
    return [...this.clocks.keys()];
  }

  has(serverId: string): boolean {
    return this.clocks.has(serverId);
  }

  /** Runs on this process's own clock (CLOCK_SOURCE=real) rather than a simulated model. */
  isRealClock(serverId: string): boolean {
    return this.defaults.realClock?.servers.includes(serverId) ?? false;
  }

  get(serverId: string): ServerClock {
    const clock = this.clocks.get(serverId);
    if (!clock) throw new UnknownServerError(serverId, this.serverIds());
    return clock;
  }

  /**
   * Restores configurations and sync states from the log; on a first start,
   * records the default scenario so the history begins with it.
   */
  async restore(): Promise<void> {
    const unconfigured: string[] = [];
    for (const clock of this.clocks.values()) {
      const events = await this.store.readStream(clockStreamId(clock.serverId));
      let configured = false;
      for (const recorded of events) {
        this.follow(recorded);
        configured ||= recorded.type === 'ClockConfigured';
      }
      if (!configured && !this.isRealClock(clock.serverId)) unconfigured.push(clock.serverId);
    }
    if (unconfigured.length > 0) await this.applyScenario(this.defaults.scenario, this.defaults.seed, unconfigured);
  }

  /**
   * A clock event read from the log, appended by this node or another: every
   * node's clocks are what the clock streams say. Applied once, in stream order.
   */
  follow(recorded: RecordedEvent): void {
    if (!isClockEventType(recorded.type) || !recorded.streamId.startsWith(CLOCK_STREAM_PREFIX)) return;
    const clock = this.clocks.get(recorded.streamId.slice(CLOCK_STREAM_PREFIX.length));
    if (!clock || recorded.revision <= clock.appliedRevision) return;
    clock.appliedRevision = recorded.revision;
    this.evolve(clock, { type: recorded.type, data: recorded.data } as unknown as ClockEvent);
  }

  read(serverId: string): ClockReading {
    const clock = this.get(serverId);
    const now = this.readNow(clock, sampleJitterMs(clock.random, clock.config.jitterMs));
    const { referenceTimeMs, serverTimeMs } = now;
    const corrected = correctedReading(serverTimeMs, clock.sync);
    clock.hlc = tick(clock.hlc, serverTimeMs);
    const referenceUncertaintyMs = 'gapMs' in now ? this.referenceUncertaintyOf(now) : 0;
    return {
      serverId,
      serverTimeMs,
      referenceTimeMs,
      ...(referenceUncertaintyMs > 0 ? { referenceUncertaintyMs } : {}),
      estimatedOffsetMs: corrected.estimatedOffsetMs,
      errorBoundMs: storableErrorBoundMs(corrected.errorBoundMs),
      ntpCorrectedTimeMs: corrected.ntpCorrectedTimeMs,
      hlc: encodeHlc(clock.hlc),
      syncEpoch: clock.syncEpoch,
    };
  }

  /**
   * Every booking server reads the shared log, so each one's hybrid logical
   * clock receives the stamps of the attempts the others recorded.
   */
  observe(encodedHlc: string): void {
    const remote = decodeHlc(encodedHlc);
    const referenceTimeMs = this.reference.nowMs();
    for (const clock of this.clocks.values()) {
      if (clock.serverId !== remote.nodeId) {
        clock.hlc = receive(clock.hlc, remote, this.serverTimeOf(clock, referenceTimeMs, 0));
      } else if (compareHlc(clock.hlc, remote) < 0) {
        // Its own stamp, issued before a restart: it must never stamp behind it again.
        clock.hlc = { ...remote };
      }
    }
  }

  /**
   * After a restart: each server's HLC resumes past the last stamp it issued
   * and the last stamps it could have seen from the others (the log's), so no
   * stamp goes back in HLC order.
   */
  resumeHlc(stamps: readonly string[]): void {
    for (const encoded of stamps) this.observe(encoded);
  }

  /**
   * One RFC 5905 exchange, recorded in the log (with a step it detects):
   * simulated against the reference, or (real clock) a real one with NTP_SERVER.
   */
  async sync(serverId: string): Promise<SyncOutcome> {
    const clock = this.get(serverId);
    const sendReferenceMs = this.reference.nowMs();
    const realClock = this.realClockOf(serverId);
    const result = realClock
      ? ({ kind: 'synchronized', ...(await realClock.synchronize(serverId, this.defaults.staleSyncAfterMs)) } as const)
      : syncSimulatedServer(clock.config, clock.sync, sendReferenceMs, clock.random, {
          staleAfterMs: this.defaults.staleSyncAfterMs,
        });
    if (result.kind === 'never-syncs' || result.state.kind !== 'synchronized')
      throw new ServerNeverSyncsError(serverId);
    const before = clock.sync.kind === 'synchronized' ? clock.sync.estimatedOffsetMs : null;
    const sync: ClockSynchronized = {
      type: 'ClockSynchronized',
      data: {
        serverId,
        timestamps: result.exchange.timestamps,
        thetaMs: result.exchange.thetaMs,
        delayMs: result.exchange.roundTripDelayMs,
        errorBoundMs: result.state.errorBoundAtSyncMs,
        estimatedOffsetBeforeMs: before,
        estimatedOffsetAfterMs: result.state.estimatedOffsetMs,
        trueOffsetMs: realClock ? realClock.offsetFromMs(this.reference) : trueSkewMs(clock.config, sendReferenceMs),
        referenceTimeMs: sendReferenceMs,
        state: result.state,
        syncEpoch: clock.syncEpoch + 1,
      },
    };
    const step = detectStep(clock.sync, result.state);
    const detected: ClockStepDetected | null =
      step && before !== null
        ? {
            type: 'ClockStepDetected',
            data: {
              serverId,
              jumpMs: step.jumpMs,
              allowedMs: step.allowedMs,
              estimatedOffsetBeforeMs: before,
              estimatedOffsetAfterMs: result.state.estimatedOffsetMs,
              suspectSyncEpoch: clock.syncEpoch,
              referenceTimeMs: sendReferenceMs,
              runId: null,
            },
          }
        : null;
    await this.record(serverId, detected ? [sync, detected] : [sync]);
    return { sync: sync.data, stepDetected: detected?.data ?? null };
  }

  /**
   * Syncs every server that can; servers configured never to sync are skipped.
   * One server's failure (a store hiccup) does not keep the others unsynced.
   * In a cluster each node syncs the servers it hosts.
   */
  async syncAll(serverIds: readonly string[] = this.serverIds()): Promise<number> {
    let synced = 0;
    const failures: unknown[] = [];
    for (const clock of serverIds.map((id) => this.get(id))) {
      if (clock.config.neverSyncs && !this.isRealClock(clock.serverId)) continue;
      try {
        await this.sync(clock.serverId);
        synced += 1;
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} server(s) could not sync`);
    return synced;
  }

  /** A manual change: continuous unless it sets offset_ms (a requested step); see reconfigure(). */
  async configure(serverId: string, change: ClockConfigChange): Promise<ServerClock> {
    const clock = this.get(serverId);
    if (this.isRealClock(serverId)) throw new RealClockNotConfigurableError(serverId);
    const referenceTimeMs = this.reference.nowMs();
    const config = reconfigure(clock.config, change, referenceTimeMs);
    await this.record(serverId, [
      {
        type: 'ClockConfigured',
        data: { serverId, config, source: 'manual', scenario: null, seed: null, referenceTimeMs },
      },
    ]);
    return clock;
  }

  /** Replaces the clocks: the old NTP estimates describe clocks that no longer exist, so they are dropped. */
  async applyScenario(name: string, seed: number, serverIds: readonly string[] = this.serverIds()): Promise<void> {
    const real = serverIds.find((serverId) => this.isRealClock(serverId));
    if (real !== undefined) throw new RealClockNotConfigurableError(real);
    const referenceTimeMs = this.reference.nowMs();
    const configs = applyScenario(name, this.serverIds(), seed, { startReferenceMs: referenceTimeMs });
    for (const serverId of serverIds) {
      await this.record(serverId, [
        {
          type: 'ClockConfigured',
          data: { serverId, config: configs[serverId]!, source: 'scenario', scenario: name, seed, referenceTimeMs },
        },
      ]);
    }
  }

  /** Live facts for the status endpoint. */
  describe(serverId: string) {
    const clock = this.get(serverId);
    const { referenceTimeMs, serverTimeMs } = this.readNow(clock, 0);
    const bound = errorBoundMs(clock.sync, serverTimeMs);
    return {
      clock,
      referenceTimeMs,
      serverTimeMs,
      configuredOffsetMs: configuredOffsetMs(clock.config, referenceTimeMs),
      trueOffsetMs: this.isRealClock(serverId)
        ? serverTimeMs - referenceTimeMs
        : trueSkewMs(clock.config, referenceTimeMs),
      /** null when unbounded (never synced, told never to sync, clock replaced, or stale). */
      errorBoundMs: Number.isFinite(bound) ? bound : null,
      syncState: syncStateOf(clock.sync, bound),
    };
  }

  /**
   * What a real clock's stamp may be off from the truth by: the reference's own bound against
   * NTP time (it and the server's bound are both measured against NTP servers, not against each
   * other) plus half the bracket the two were read in. An unsynced reference is the bare host
   * clock, which may be off by anything (under libfaketime, by the whole skew): its truth is
   * unknown, recorded as UNBOUNDED_ERROR_MS, and no bound is scored against it.
   */
  private referenceUncertaintyOf(reading: BracketedReading): number {
    const status = this.reference.status();
    const ownMs = status.synchronized || status.state === 'holdover' ? (status.uncertaintyMs ?? 0) : Infinity;
    return storableErrorBoundMs(ownMs + reading.gapMs / 2);
  }

  /** The reference and the server's clock now: the model at the reference's reading, or both read at one instant. */
  private readNow(
    clock: ServerClock,
    jitterSampleMs: number,
  ): { referenceTimeMs: number; serverTimeMs: number } | BracketedReading {
    const realClock = this.realClockOf(clock.serverId);
    if (realClock) return realClock.readAgainst(this.reference);
    const referenceTimeMs = this.reference.nowMs();
    return { referenceTimeMs, serverTimeMs: serverTime(clock.config, referenceTimeMs, jitterSampleMs) };
  }

  /** What the server's clock reads now: its simulated model at the reference time, or the process clock. */
  private serverTimeOf(clock: ServerClock, referenceTimeMs: number, jitterSampleMs: number): number {
    const realClock = this.realClockOf(clock.serverId);
    return realClock ? realClock.nowMs() : serverTime(clock.config, referenceTimeMs, jitterSampleMs);
  }

  /** The process clock, for a server this node runs on it (CLOCK_SOURCE=real); else none. */
  private realClockOf(serverId: string): RealProcessClock | undefined {
    return this.isRealClock(serverId) ? this.defaults.realClock?.clock : undefined;
  }

  private async record(serverId: string, events: readonly ClockEvent[]): Promise<void> {
    const clock = this.get(serverId);
    const toAppend: EventToAppend[] = events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      data: event.data as unknown as JsonObject,
    }));
    const { nextExpectedRevision } = await this.store.append(clockStreamId(serverId), toAppend);
    const firstRevision = nextExpectedRevision - BigInt(events.length - 1);
    events.forEach((event, index) => {
      const revision = firstRevision + BigInt(index);
      // Already read back from the log (follow) while the append was answering: not twice.
      if (revision <= clock.appliedRevision) return;
      clock.appliedRevision = revision;
      this.evolve(clock, event);
    });
  }

  private evolve(clock: ServerClock, event: ClockEvent): void {
    switch (event.type) {
      case 'ClockConfigured':
        // A simulated configuration (an earlier simulated run in this log) says nothing about a real clock.
        if (this.isRealClock(clock.serverId)) return;
        clock.config = event.data.config;
        clock.configuredBy = { source: event.data.source, scenario: event.data.scenario, seed: event.data.seed };
        // A scenario replaces the clocks: an estimate of the old clock must not pass for a fresh one.
        if (event.data.source === 'scenario') clock.sync = { kind: 'unsynchronized', reason: 'clock_replaced' };
        // Told never to sync: from this moment nothing bounds what it believes.
        if (event.data.config.neverSyncs) clock.sync = unbounded(clock.sync, 'never_syncs');
        return;
      case 'ClockSynchronized':
        clock.sync = event.data.state;
        clock.syncEpoch = event.data.syncEpoch ?? clock.syncEpoch + 1;
        clock.lastSyncReferenceMs = event.data.referenceTimeMs;
        return;
      case 'ClockStepDetected':
        clock.stepsDetected += 1;
        return;
    }
  }
}
