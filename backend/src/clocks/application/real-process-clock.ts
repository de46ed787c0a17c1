/**
 * CLOCK_SOURCE=real: the booking servers this process hosts run on the
 * process's own wall clock (skewed on purpose with libfaketime, or simply
 * wrong), and each sync is a real RFC 5905 exchange with NTP_SERVER through
 * the project's SNTP client, not a computed one. What comes out has the shape
 * of a simulated sync (t1…t4, θ, δ, a SynchronizedState), so the stamps,
 * bounds and resolution downstream do not know the difference.
 */
import type { NtpSymmetricKey } from '../ntp/auth/ntp-symmetric-key';
import { createTightPreciseHostClock, type HostClock } from '../ntp/host-clock';
import { tightestOf } from '../ntp/tightest-of';
import { formatNtpServerAddress, parseNtpServerList, type NtpServerAddress } from '../ntp/ntp-server-address';
import { queryBurst, type NtpQuery } from '../ntp/ntp-source-burst';
import { evaluateSync } from '../ntp/selection/evaluate-sync';
import type { OffsetSanityLimits } from '../ntp/selection/offset-sanity';
import { queryNtpServer } from '../ntp/sntp-client';
import type { NtpExchange } from '../domain/ntp-exchange';
import { PHI_PPM, type SynchronizedState } from '../domain/sync-state';

/** A real clock's offset is whatever the process clock is off by: the lab cannot set it. */
export class RealClockNotConfigurableError extends Error {
  override readonly name = 'RealClockNotConfigurableError';
  constructor(readonly serverId: string) {
    super(
      `${serverId} runs on this process's real clock (CLOCK_SOURCE=real): its offset is what the process clock ` +
        'is really off by (set it with libfaketime, FAKETIME="+2.5s", on the process), so a simulated offset, ' +
        'drift, delay or scenario does not apply',
    );
  }
}

/** No NTP source gave a usable reply: the server keeps what it had (holdover, then stale), it does not crash. */
export class RealClockSyncFailedError extends Error {
  override readonly name = 'RealClockSyncFailedError';
  constructor(
    readonly serverId: string,
    readonly detail: string,
  ) {
    super(
      `${serverId}: real NTP exchange failed, the clock stays as it was (unsynced until a sync succeeds): ${detail}`,
    );
  }
}

export interface RealSync {
  readonly state: SynchronizedState;
  /** The exchange with the chosen source (RFC 5905's system peer): its real t1…t4, θ and δ. */
  readonly exchange: NtpExchange;
}

export interface RealProcessClockOptions {
  /** NTP_SERVER, one source or several (comma-separated). */
  readonly server: string;
  readonly timeoutMs: number;
  readonly panicThresholdMs: number;
  /** Exchanges per source and sync, the least delayed kept. Default 4. */
  readonly samplesPerSync?: number;
  readonly key?: NtpSymmetricKey;
  /** Test seams. */
  readonly query?: NtpQuery;
  readonly wallNowMs?: () => number;
}

/**
 * Date.now() is the floor of the wall clock, read just before the sub-ms
 * reading: the sub-ms reading must lie in [wall, wall + 1), give or take the
 * time between the two reads. Outside that the wall clock was stepped (or the
 * anchor is bad): anchor again.
 */
const FLOOR_SLACK_MS = 0.1;
/** An anchor looser than this (its spin was preempted) is retried, a few times at most. */
const TIGHT_ANCHOR_MS = 0.05;
const ANCHOR_TRIES = 5;
/** A bracket this narrow (two reference reads around one clock read) needs no second try. */
const TIGHT_BRACKET_MS = 0.02;
const BRACKET_TRIES = 5;

export interface BracketedReading {
  readonly serverTimeMs: number;
  /** The reference at the instant of the server's read: the midpoint of the reads around it. */
  readonly referenceTimeMs: number;
  /** Between the reference reads around the server's: the most the pair can be apart is half of it. */
  readonly gapMs: number;
}

export class RealProcessClock {
  private readonly addresses: readonly NtpServerAddress[];
  private readonly wallNowMs: () => number;
  private readonly query: NtpQuery;
  private anchored: HostClock;

  constructor(private readonly options: RealProcessClockOptions) {
    this.addresses = parseNtpServerList(options.server);
    this.wallNowMs = options.wallNowMs ?? Date.now;
    this.query = options.query ?? queryNtpServer;
    this.anchored = this.tightAnchor();
  }

  get source(): string {
    return this.addresses.map(formatNtpServerAddress).join(',');
  }

  /**
   * The process's wall clock (what libfaketime skews), with sub-millisecond
   * resolution: Date.now() floors to whole ms, which would bias every stamp
   * by half a millisecond against the measured offset. The sub-ms clock rides
   * on the monotonic clock, so it re-anchors as soon as it strays from
   * Date.now() (the wall clock was stepped: a real clock's step must show at
   * once, and the next sync detects it).
   */
  nowMs(): number {
    const wall = this.wallNowMs();
    const precise = this.anchored.nowMs();
    if (precise >= wall - FLOOR_SLACK_MS && precise < wall + 1 + FLOOR_SLACK_MS) return precise;
    this.anchored = this.tightAnchor();
    return this.anchored.nowMs();
  }

  private tightAnchor(): HostClock {
    return createTightPreciseHostClock(this.wallNowMs, { tightMs: TIGHT_ANCHOR_MS, tries: ANCHOR_TRIES });
  }

  /**
   * This clock and the lab's reference at one instant: the reference is read
   * before and after the clock, and its midpoint stands for the instant of
   * the clock's read. Read back to back instead, a process preempted between
   * the two reads (a loaded machine: 15 ms was seen) pairs a server time with
   * a later truth, which the scoring takes for a violated error bound. The
   * tightest of up to five brackets is kept. `gapMs` is its width: the pair
   * can be apart by up to half of it (more than a few µs only when every
   * bracket was preempted), which the stamp adds to its referenceUncertaintyMs.
   */
  readAgainst(reference: { nowMs(): number }): BracketedReading {
    const bracket = (): BracketedReading => {
      const before = reference.nowMs();
      const serverTimeMs = this.nowMs();
      const after = reference.nowMs();
      return { serverTimeMs, referenceTimeMs: (before + after) / 2, gapMs: after - before };
    };
    return tightestOf(bracket, (reading) => reading.gapMs, { tightMs: TIGHT_BRACKET_MS, tries: BRACKET_TRIES });
  }

  /** What the clock is really off by: its reading minus the lab's reference at the same instant. */
  offsetFromMs(reference: { nowMs(): number }): number {
    const reading = this.readAgainst(reference);
    return reading.serverTimeMs - reading.referenceTimeMs;
  }

  /**
   * A real exchange with every source (a burst each, the least delayed sample
   * kept), checked and selected as the reference clock does; the system peer's
   * exchange becomes the sync. Throws RealClockSyncFailedError when no source
   * survives. The bound at sync is the sample's root distance (δ/2, the
   * server's root delay/2 and dispersion, 15 ppm of t4 − t1, both clocks' precision).
   */
  async synchronize(serverId: string, staleAfterMs?: number): Promise<RealSync> {
    // The same sub-ms clock measures and stamps; a loose anchor (made under load) is replaced first.
    if (this.anchored.uncertaintyMs > TIGHT_ANCHOR_MS) this.anchored = this.tightAnchor();
    const hostClock: HostClock = {
      nowMs: () => this.nowMs(),
      uncertaintyMs: this.anchored.uncertaintyMs,
    };
    const outcomes = await Promise.all(
      this.addresses.map((address) =>
        queryBurst(address, {
          samples: Math.max(1, this.options.samplesPerSync ?? 4),
          timeoutMs: this.options.timeoutMs,
          hostClock,
          key: this.options.key,
          query: this.query,
        }),
      ),
    );
    const limits: OffsetSanityLimits = {
      panicThresholdMs: this.options.panicThresholdMs,
      // A booking server's clock is whatever it is: no held estimate to compare a jump with (steps are detected later).
      maxChangeMs: Number.POSITIVE_INFINITY,
    };
    const verdict = evaluateSync(outcomes, limits, undefined);
    if (!verdict.measurement) {
      const detail = verdict.reports.map((report) => report.detail ?? `${report.server}: ${report.reason}`).join('; ');
      throw new RealClockSyncFailedError(serverId, detail);
    }
    const peer = verdict.measurement.systemPeer;
    // The sample's θ is NTP − host, the lab's estimate is host − NTP (ntp-exchange.ts): one sign flip.
    const exchange: NtpExchange = {
      timestamps: peer.timestamps,
      thetaMs: peer.offsetMs,
      roundTripDelayMs: peer.roundTripDelayMs,
      estimatedOffsetMs: -peer.offsetMs,
      receiveReferenceMs: peer.timestamps.t4 + peer.offsetMs,
    };
    const state: SynchronizedState = {
      kind: 'synchronized',
      estimatedOffsetMs: exchange.estimatedOffsetMs,
      roundTripDelayMs: exchange.roundTripDelayMs,
      errorBoundAtSyncMs: peer.rootDistanceMs,
      lastSyncServerMs: peer.timestamps.t4,
      // An undisciplined quartz: RFC 5905's frequency tolerance is all that bounds it between syncs.
      driftAllowancePpm: PHI_PPM,
      ...(staleAfterMs !== undefined ? { staleAfterMs } : {}),
    };
    return { state, exchange };
  }
}
