import type { NtpSymmetricKey } from './auth/ntp-symmetric-key';
import {
  acceptMeasurement,
  appliedOffsetAt,
  appliedUncertaintyAt,
  frequencyEstimate,
  initialDiscipline,
  predictionUncertaintyAt,
  slewRemainingAt,
  targetOffsetAt,
  type DisciplineState,
  type OffsetMeasurement,
} from './discipline/reference-discipline';
import { createTightPreciseHostClock, type HostClock } from './host-clock';
import { DEFAULT_MAX_CHANGE_MS, DEFAULT_MAX_SLEW_PPM, DEFAULT_PANIC_THRESHOLD_S } from './ntp-defaults';
import type { NtpDisciplineReport, NtpReferenceStatus, NtpSourceReport } from './ntp-reference-status';
import { formatNtpServerAddress, parseNtpServerList, type NtpServerAddress } from './ntp-server-address';
import { queryBurst, type NtpQuery } from './ntp-source-burst';
import type { ReferenceClock, ReferenceClockState } from './reference-clock';
import { evaluateSync } from './selection/evaluate-sync';
import type { OffsetSanityLimits } from './selection/offset-sanity';
import { queryNtpServer, type NtpSample } from './sntp-client';

export interface NtpDisciplinedReferenceClockOptions {
  /** NTP_SERVER: one source or several, comma-separated: `pool.ntp.org`, `127.0.0.1:11123`, `[::1]:123`… */
  readonly server: string;
  /** Per query; a sync makes at most `samplesPerSync` sequential queries per source. Default 2000 ms. */
  readonly timeoutMs?: number;
  /** Exchanges per source and sync; the one with the smallest delay wins (RFC 5905 clock filter idea). Default 4. */
  readonly samplesPerSync?: number;
  readonly panicThresholdMs?: number;
  readonly maxChangeMs?: number;
  readonly maxSlewPpm?: number;
  /** Sign requests and accept only replies with a valid MAC (NTP_KEY_ID from NTP_KEY_FILE). */
  readonly key?: NtpSymmetricKey;
  /** Told on every change of state (synchronized / holdover / unsynced), for the log. */
  readonly onStateChange?: (from: ReferenceClockState, status: NtpReferenceStatus) => void;
  /** Test seams: the NTP query, and the local clock the offset is added to. */
  readonly query?: NtpQuery;
  readonly hostNowMs?: () => number;
}

interface LastSync {
  readonly atMs: number;
  readonly systemPeer: NtpSample;
}

/**
 * The host's clock disciplined by NTP_SERVER through our SNTP client. It does
 * not steer the host clock: it adds a disciplined offset to a local clock.
 *
 * The local clock is the host's monotonic clock anchored once to its wall
 * clock at start, so a step of the host's wall clock (an admin, another
 * daemon) cannot make the lab's time jump; offsets are measured against that
 * same clock. Sources are queried in parallel, checked (panic threshold, max
 * change), selected (RFC 5905 intersection, falsetickers dropped) and
 * combined; the discipline keeps holdover and slews (reference-discipline.ts).
 */
export class NtpDisciplinedReferenceClock implements ReferenceClock {
  private readonly addresses: readonly NtpServerAddress[];
  private readonly source: string;
  private readonly timeoutMs: number;
  private readonly samplesPerSync: number;
  private readonly limits: OffsetSanityLimits;
  private readonly key: NtpSymmetricKey | undefined;
  private readonly query: NtpQuery;
  private readonly localClock: HostClock;
  private readonly onStateChange: NtpDisciplinedReferenceClockOptions['onStateChange'];
  private discipline: DisciplineState;
  private highWaterMs: number | undefined;
  private reports: readonly NtpSourceReport[];
  private lastSync: LastSync | undefined;
  private lastAttemptAt: number | null = null;
  private lastFailure: string | undefined;
  private holdoverSince: number | null = null;
  private periodicSync: NodeJS.Timeout | undefined;
  private inFlight: Promise<NtpReferenceStatus> | undefined;

  /** Throws InvalidNtpServerError for a malformed NTP_SERVER (a configuration error). */
  constructor(options: NtpDisciplinedReferenceClockOptions) {
    this.addresses = parseNtpServerList(options.server);
    this.source = this.addresses.map(formatNtpServerAddress).join(',');
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.samplesPerSync = Math.max(1, options.samplesPerSync ?? 4);
    this.limits = {
      panicThresholdMs: options.panicThresholdMs ?? DEFAULT_PANIC_THRESHOLD_S * 1000,
      maxChangeMs: options.maxChangeMs ?? DEFAULT_MAX_CHANGE_MS,
    };
    this.key = options.key;
    this.query = options.query ?? queryNtpServer;
    this.localClock = options.hostNowMs
      ? { nowMs: options.hostNowMs, uncertaintyMs: 0 }
      : createTightPreciseHostClock();
    this.onStateChange = options.onStateChange;
    this.discipline = initialDiscipline(options.maxSlewPpm ?? DEFAULT_MAX_SLEW_PPM);
    this.reports = this.addresses.map((address) => ({
      server: formatNtpServerAddress(address),
      status: 'pending',
      reason: null,
      detail: null,
      offsetMs: null,
      roundTripDelayMs: null,
      rootDistanceMs: null,
      stratum: null,
      authenticated: false,
      ignoredDatagrams: 0,
    }));
  }

  nowMs(): number {
    const localMs = this.localClock.nowMs();
    const readingMs = localMs + appliedOffsetAt(this.discipline, localMs);
    // The discipline's readings only increase; this makes it unconditional (float rounding, a test seam).
    this.highWaterMs = this.highWaterMs === undefined ? readingMs : Math.max(this.highWaterMs, readingMs);
    return this.highWaterMs;
  }

  status(): NtpReferenceStatus {
    const localMs = this.localClock.nowMs();
    const frequency = frequencyEstimate(this.discipline);
    const report: NtpDisciplineReport = {
      sources: this.reports,
      slewRemainingMs: slewRemainingAt(this.discipline, localMs),
      maxSlewPpm: this.discipline.maxSlewPpm,
      frequencyPpm: frequency ? frequency.frequencyPpm : null,
      authentication: this.key ? { keyId: this.key.id, type: this.key.type } : null,
    };
    if (!this.lastSync) {
      return {
        synchronized: false,
        state: 'unsynced',
        source: this.source,
        reason: this.lastFailure ?? 'not synchronised yet',
        lastAttemptAt: this.lastAttemptAt,
        ...report,
      };
    }
    const held = {
      source: this.source,
      offsetMs: appliedOffsetAt(this.discipline, localMs),
      lastSyncAt: this.lastSync.atMs,
      uncertaintyMs: appliedUncertaintyAt(this.discipline, localMs),
    };
    if (this.holdoverSince === null) {
      return {
        synchronized: true,
        state: 'synchronized',
        ...held,
        roundTripDelayMs: this.lastSync.systemPeer.roundTripDelayMs,
        stratum: this.lastSync.systemPeer.stratum,
        ...report,
      };
    }
    return {
      synchronized: false,
      state: 'holdover',
      ...held,
      reason: this.lastFailure ?? 'no usable NTP source',
      lastAttemptAt: this.lastAttemptAt,
      holdoverSince: this.holdoverSince,
      holdoverForMs: Math.max(0, localMs - this.holdoverSince),
      ...report,
    };
  }

  /** Never throws; concurrent calls share one sync. */
  syncOnce(): Promise<NtpReferenceStatus> {
    this.inFlight ??= this.sync().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /**
   * The sync at start, before any reading is handed out: while its answer is
   * loose (a loaded start-up: 6 ms seen on loopback) it syncs again, and a
   * tighter answer steps in (nothing handed out yet to keep in order), so the
   * lab's truth starts tight instead of slewing the first answer's error out
   * at 500 ppm. A failure is not retried (holdover and the periodic sync
   * handle it), nor is anything once a reading was handed out. Never throws.
   */
  async syncBeforeFirstReading({ tries = 3, looseMs = 1 }: { tries?: number; looseMs?: number } = {}) {
    let status = await this.syncOnce();
    for (let attempt = 1; attempt < tries && this.highWaterMs === undefined; attempt += 1) {
      if (!status.synchronized || status.uncertaintyMs <= looseMs) break;
      status = await this.syncOnce();
    }
    return status;
  }

  /** Re-syncs every `intervalMs` (TIME_SYNC_INTERVAL); the timer does not keep the process alive. */
  startPeriodicSync(intervalMs: number): void {
    this.stopPeriodicSync();
    this.periodicSync = setInterval(() => void this.syncOnce(), intervalMs);
    this.periodicSync.unref();
  }

  stopPeriodicSync(): void {
    if (this.periodicSync) clearInterval(this.periodicSync);
    this.periodicSync = undefined;
  }

  private async sync(): Promise<NtpReferenceStatus> {
    const stateBefore = this.status().state;
    const attemptAt = this.localClock.nowMs();
    const outcomes = await Promise.all(
      this.addresses.map((address) =>
        queryBurst(address, {
          samples: this.samplesPerSync,
          timeoutMs: this.timeoutMs,
          hostClock: this.localClock,
          key: this.key,
          query: this.query,
        }),
      ),
    );
    const discipline = this.discipline;
    const verdict = evaluateSync(
      outcomes,
      this.limits,
      discipline.anchor
        ? (atMs) => ({
            predictedOffsetMs: targetOffsetAt(discipline, atMs),
            uncertaintyMs: predictionUncertaintyAt(discipline, atMs),
          })
        : undefined,
    );
    this.reports = verdict.reports;
    this.lastAttemptAt = attemptAt;
    if (verdict.measurement) {
      const acceptedAtMs = this.localClock.nowMs();
      const next = acceptMeasurement(discipline, verdict.measurement, this.highWaterMs !== undefined, acceptedAtMs);
      if (next === discipline) {
        // Kept out: the status keeps describing the answer in use; the sources say why this one is not.
        this.reports = keptOut(verdict.reports, verdict.measurement, discipline);
      } else {
        this.discipline = next;
        this.lastSync = { atMs: acceptedAtMs, systemPeer: verdict.measurement.systemPeer };
      }
      this.lastFailure = undefined;
      this.holdoverSince = null;
    } else {
      this.lastFailure = failureSummary(verdict.reports);
      if (this.lastSync) this.holdoverSince ??= attemptAt;
    }
    const status = this.status();
    if (status.state !== stateBefore) this.onStateChange?.(stateBefore, status);
    return status;
  }
}

const keptOut = (
  reports: readonly NtpSourceReport[],
  answer: OffsetMeasurement,
  held: DisciplineState,
): readonly NtpSourceReport[] => {
  const detail =
    `answer ±${answer.uncertaintyMs.toFixed(3)} ms agrees with the held estimate ` +
    `(±${predictionUncertaintyAt(held, answer.atMs).toFixed(3)} ms) and is looser: kept out`;
  return reports.map((report) => (report.status === 'selected' ? { ...report, detail } : report));
};

/** One source: its own message (as before multi-source). Several: each one's. */
const failureSummary = (reports: readonly NtpSourceReport[]): string => {
  const details = reports.map((report) => report.detail ?? `${report.server}: ${report.reason ?? 'unused'}`);
  return details.length === 1 ? (details[0] as string) : `no usable NTP source: ${details.join('; ')}`;
};
