import { NtpQueryError } from './ntp-query-error';
import { formatNtpServerAddress, parseNtpServerAddress, type NtpServerAddress } from './ntp-server-address';
import type { ReferenceClock, ReferenceClockStatus } from './reference-clock';
import { queryNtpServer, type NtpQueryOptions, type NtpSample } from './sntp-client';

export interface NtpDisciplinedReferenceClockOptions {
  /** NTP_SERVER: `pool.ntp.org`, `127.0.0.1:11123`, `[::1]:123`… */
  readonly server: string;
  /** Per query; a sync makes at most `samplesPerSync` sequential queries. Default 2000 ms. */
  readonly timeoutMs?: number;
  /** Exchanges per sync; the one with the smallest delay wins (RFC 5905 clock filter idea). Default 4. */
  readonly samplesPerSync?: number;
  /** Test seams. */
  readonly query?: (options: NtpQueryOptions) => Promise<NtpSample>;
  readonly hostNowMs?: () => number;
}

/**
 * Host clock + the offset measured against NTP_SERVER with our SNTP client.
 * It does not steer the host clock; it adds the measured offset to readings.
 * A failed sync drops back to the plain host clock and says why (status), so
 * the lab never silently pretends to be synchronised.
 */
export class NtpDisciplinedReferenceClock implements ReferenceClock {
  private readonly address: NtpServerAddress;
  private readonly source: string;
  private readonly timeoutMs: number;
  private readonly samplesPerSync: number;
  private readonly query: (options: NtpQueryOptions) => Promise<NtpSample>;
  private readonly hostNowMs: () => number;
  private current: ReferenceClockStatus;
  private periodicSync: NodeJS.Timeout | undefined;
  private inFlight: Promise<ReferenceClockStatus> | undefined;

  /** Throws InvalidNtpServerError for a malformed NTP_SERVER (a configuration error). */
  constructor(options: NtpDisciplinedReferenceClockOptions) {
    this.address = parseNtpServerAddress(options.server);
    this.source = formatNtpServerAddress(this.address);
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.samplesPerSync = Math.max(1, options.samplesPerSync ?? 4);
    this.query = options.query ?? queryNtpServer;
    this.hostNowMs = options.hostNowMs ?? Date.now;
    this.current = { synchronized: false, source: this.source, reason: 'not synchronised yet', lastAttemptAt: null };
  }

  nowMs(): number {
    const hostMs = this.hostNowMs();
    return this.current.synchronized ? hostMs + this.current.offsetMs : hostMs;
  }

  status(): ReferenceClockStatus {
    return this.current;
  }

  /** Never throws; concurrent calls share one sync. */
  syncOnce(): Promise<ReferenceClockStatus> {
    this.inFlight ??= this.sync().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
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

  private async sync(): Promise<ReferenceClockStatus> {
    const attemptAt = this.hostNowMs();
    const samples: NtpSample[] = [];
    let failure: string | undefined;
    for (let attempt = 0; attempt < this.samplesPerSync; attempt += 1) {
      try {
        samples.push(await this.query({ host: this.address.host, port: this.address.port, timeoutMs: this.timeoutMs }));
      } catch (error) {
        failure =
          error instanceof NtpQueryError ? error.message : `NTP query to ${this.source} failed: ${String(error)}`;
        // An unreachable or refusing server will not answer the next query either.
        if (samples.length === 0) break;
      }
    }
    const best = samples.reduce<NtpSample | undefined>(
      (a, b) => (a === undefined || b.roundTripDelayMs < a.roundTripDelayMs ? b : a),
      undefined,
    );
    this.current = best
      ? {
          synchronized: true,
          source: this.source,
          offsetMs: best.offsetMs,
          roundTripDelayMs: best.roundTripDelayMs,
          stratum: best.stratum,
          lastSyncAt: this.hostNowMs(),
        }
      : { synchronized: false, source: this.source, reason: failure ?? 'no NTP sample', lastAttemptAt: attemptAt };
    return this.current;
  }
}
