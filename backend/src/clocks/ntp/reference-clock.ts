/**
 * The reference ("true") clock of the lab: the host clock disciplined by a
 * real NTP server in production, a virtual clock in tests and seeded runs.
 * Readings are epoch ms.
 */
export interface ReferenceClock {
  nowMs(): number;
  status(): ReferenceClockStatus;
}

export interface SynchronizedReferenceStatus {
  readonly synchronized: true;
  /** Where the time comes from: "host:port" of the NTP server, or "virtual". */
  readonly source: string;
  /** NTP server − host clock, positive when the server is ahead (added to the host clock). */
  readonly offsetMs: number;
  readonly roundTripDelayMs: number;
  /** 0 (RFC 5905: unspecified) for the virtual clock. */
  readonly stratum: number;
  /** Epoch ms (host clock) of the last successful sync. */
  readonly lastSyncAt: number;
}

export interface UnsynchronizedReferenceStatus {
  readonly synchronized: false;
  readonly source: string;
  /** Human-readable, e.g. "no reply from pool.ntp.org:123 within 2000 ms". */
  readonly reason: string;
  /** Epoch ms (host clock) of the last attempt; null before the first one. */
  readonly lastAttemptAt: number | null;
}

export type ReferenceClockStatus = SynchronizedReferenceStatus | UnsynchronizedReferenceStatus;

export { VirtualReferenceClock } from './virtual-reference-clock';
export {
  NtpDisciplinedReferenceClock,
  type NtpDisciplinedReferenceClockOptions,
} from './ntp-disciplined-reference-clock';
