/**
 * The booking servers' clocks, live: each server's configured clock model,
 * its NTP sync state and its hybrid logical clock. Every change of
 * configuration and every sync is appended to the log first, so the clock
 * history is replayable and a restart resumes where it stopped.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, JsonObject } from '../../event-store/event-store.port';
import {
  storableErrorBoundMs,
  type BookingServerClocks,
  type ClockReading,
} from '../../reservations/domain/clock-reading';
import { configuredOffsetMs, serverTime, trueSkewMs, type ClockConfig } from '../domain/clock-model';
import { correctedReading, estimatedOffsetOf } from '../domain/corrected-time';
import { decodeHlc, encodeHlc, initialHlc, receive, tick, type HlcStamp } from '../domain/hybrid-logical-clock';
import { applyScenario } from '../domain/scenarios';
import { createSeededRandom, deriveSeed, sampleJitterMs, type RandomSource } from '../domain/seeded-random';
import { syncSimulatedServer } from '../domain/simulated-sync';
import { errorBoundMs, neverSynchronized, type SyncState } from '../domain/sync-state';
import type { ReferenceClock } from '../ntp/reference-clock';
import { clockStreamId, isClockEventType, type ClockEvent, type ClockSynchronized } from './clock-events';

export interface ServerClock {
  readonly serverId: string;
  config: ClockConfig;
  sync: SyncState;
  hlc: HlcStamp;
  random: RandomSource;
  lastSyncReferenceMs: number | null;
  configuredBy: { source: 'scenario' | 'manual'; scenario: string | null; seed: number | null };
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

export type ClockConfigChange = Partial<
  Pick<ClockConfig, 'offsetMs' | 'driftPpm' | 'jitterMs' | 'outboundDelayMs' | 'inboundDelayMs' | 'neverSyncs'>
>;

export class BookingServerClockSet implements BookingServerClocks {
  private readonly clocks = new Map<string, ServerClock>();

  constructor(
    private readonly store: EventStore,
    private readonly reference: ReferenceClock,
    serverIds: readonly string[],
    private readonly defaults: { scenario: string; seed: number },
  ) {
    const start = applyScenario(defaults.scenario, serverIds, defaults.seed, { startReferenceMs: 0 });
    for (const serverId of serverIds) {
      this.clocks.set(serverId, {
        serverId,
        config: start[serverId]!,
        sync: neverSynchronized,
        hlc: initialHlc(serverId),
        random: createSeededRandom(deriveSeed('live', serverId, Date.now())),
        lastSyncReferenceMs: null,
        configuredBy: { source: 'scenario', scenario: defaults.scenario, seed: defaults.seed },
      });
    }
  }

  serverIds(): readonly string[] {
    return [...this.clocks.keys()];
  }

  has(serverId: string): boolean {
    return this.clocks.has(serverId);
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
        if (!isClockEventType(recorded.type)) continue;
        const event = { type: recorded.type, data: recorded.data } as unknown as ClockEvent;
        this.evolve(clock, event);
        configured ||= event.type === 'ClockConfigured';
      }
      if (!configured) unconfigured.push(clock.serverId);
    }
    if (unconfigured.length > 0) await this.applyScenario(this.defaults.scenario, this.defaults.seed, unconfigured);
  }

  read(serverId: string): ClockReading {
    const clock = this.get(serverId);
    const referenceTimeMs = this.reference.nowMs();
    const serverTimeMs = serverTime(clock.config, referenceTimeMs, sampleJitterMs(clock.random, clock.config.jitterMs));
    const corrected = correctedReading(serverTimeMs, clock.sync);
    clock.hlc = tick(clock.hlc, serverTimeMs);
    return {
      serverId,
      serverTimeMs,
      referenceTimeMs,
      estimatedOffsetMs: corrected.estimatedOffsetMs,
      errorBoundMs: storableErrorBoundMs(corrected.errorBoundMs),
      ntpCorrectedTimeMs: corrected.ntpCorrectedTimeMs,
      hlc: encodeHlc(clock.hlc),
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
      if (clock.serverId === remote.nodeId) continue;
      clock.hlc = receive(clock.hlc, remote, serverTime(clock.config, referenceTimeMs, 0));
    }
  }

  /** One simulated RFC 5905 exchange against the reference, recorded in the log. */
  async sync(serverId: string): Promise<ClockSynchronized['data']> {
    const clock = this.get(serverId);
    const sendReferenceMs = this.reference.nowMs();
    const result = syncSimulatedServer(clock.config, clock.sync, sendReferenceMs, clock.random);
    if (result.kind === 'never-syncs' || result.state.kind !== 'synchronized')
      throw new ServerNeverSyncsError(serverId);
    const event: ClockSynchronized = {
      type: 'ClockSynchronized',
      data: {
        serverId,
        timestamps: result.exchange.timestamps,
        thetaMs: result.exchange.thetaMs,
        delayMs: result.exchange.roundTripDelayMs,
        errorBoundMs: result.state.errorBoundAtSyncMs,
        estimatedOffsetBeforeMs: clock.sync.kind === 'synchronized' ? estimatedOffsetOf(clock.sync) : null,
        estimatedOffsetAfterMs: result.state.estimatedOffsetMs,
        trueOffsetMs: trueSkewMs(clock.config, sendReferenceMs),
        referenceTimeMs: sendReferenceMs,
        state: result.state,
      },
    };
    await this.record(event);
    return event.data;
  }

  /**
   * Syncs every server that can; servers configured never to sync are skipped.
   * One server's failure (a store hiccup) does not keep the others unsynced.
   */
  async syncAll(): Promise<number> {
    let synced = 0;
    const failures: unknown[] = [];
    for (const clock of this.clocks.values()) {
      if (clock.config.neverSyncs) continue;
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

  async configure(serverId: string, change: ClockConfigChange): Promise<ServerClock> {
    const clock = this.get(serverId);
    const referenceTimeMs = this.reference.nowMs();
    // Re-anchor the drift term so a change never makes the clock jump by the drift accumulated so far.
    const config: ClockConfig = { ...clock.config, ...change, t0Ms: referenceTimeMs };
    await this.record({
      type: 'ClockConfigured',
      data: { serverId, config, source: 'manual', scenario: null, seed: null, referenceTimeMs },
    });
    return clock;
  }

  async applyScenario(name: string, seed: number, serverIds: readonly string[] = this.serverIds()): Promise<void> {
    const referenceTimeMs = this.reference.nowMs();
    const configs = applyScenario(name, this.serverIds(), seed, { startReferenceMs: referenceTimeMs });
    for (const serverId of serverIds) {
      await this.record({
        type: 'ClockConfigured',
        data: { serverId, config: configs[serverId]!, source: 'scenario', scenario: name, seed, referenceTimeMs },
      });
    }
  }

  /** Live facts for the status endpoint. */
  describe(serverId: string) {
    const clock = this.get(serverId);
    const referenceTimeMs = this.reference.nowMs();
    const serverTimeMs = serverTime(clock.config, referenceTimeMs, 0);
    return {
      clock,
      referenceTimeMs,
      serverTimeMs,
      configuredOffsetMs: configuredOffsetMs(clock.config, referenceTimeMs),
      trueOffsetMs: trueSkewMs(clock.config, referenceTimeMs),
      errorBoundMs: clock.sync.kind === 'synchronized' ? errorBoundMs(clock.sync, serverTimeMs) : null,
    };
  }

  private async record(event: ClockEvent): Promise<void> {
    const clock = this.get(event.data.serverId);
    await this.store.append(clockStreamId(event.data.serverId), [
      { id: randomUUID(), type: event.type, data: event.data as unknown as JsonObject },
    ]);
    this.evolve(clock, event);
  }

  private evolve(clock: ServerClock, event: ClockEvent): void {
    switch (event.type) {
      case 'ClockConfigured':
        clock.config = event.data.config;
        clock.configuredBy = { source: event.data.source, scenario: event.data.scenario, seed: event.data.seed };
        // A server that may no longer sync keeps its last estimate: that is exactly how stale NTP state misleads.
        return;
      case 'ClockSynchronized':
        clock.sync = event.data.state;
        clock.lastSyncReferenceMs = event.data.referenceTimeMs;
        return;
    }
  }
}
