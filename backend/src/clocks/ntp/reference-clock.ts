/**
 * The reference ("true") clock of the lab: the host clock disciplined by real
 * NTP servers in production, a virtual clock in tests and seeded runs.
 * Readings are epoch ms and never decrease.
 */
export interface ReferenceClock {
  nowMs(): number;
  status(): ReferenceClockStatus;
}

/**
 * `synchronized`: the last sync succeeded. `holdover`: syncs fail now, but an
 * earlier one succeeded; the reference keeps that offset (and frequency) with
 * a growing uncertainty. `unsynced`: never synchronised; the host clock
 * stands in.
 */
export type ReferenceClockState = 'synchronized' | 'holdover' | 'unsynced';

export interface SynchronizedReferenceStatus {
  readonly synchronized: true;
  /** Optional for clocks written before holdover existed; always set by the lab's clocks. */
  readonly state?: 'synchronized';
  /** Where the time comes from: "host:port" of the NTP server(s, comma-separated), or "virtual". */
  readonly source: string;
  /** NTP − host clock, positive when NTP is ahead (what is added to the host clock now). */
  readonly offsetMs: number;
  readonly roundTripDelayMs: number;
  /** 0 (RFC 5905: unspecified) for the virtual clock. */
  readonly stratum: number;
  /** Epoch ms (host clock) of the last successful sync. */
  readonly lastSyncAt: number;
  /** Bound on the reference's error against NTP time now, ms. */
  readonly uncertaintyMs?: number;
}

export interface HoldoverReferenceStatus {
  readonly synchronized: false;
  readonly state: 'holdover';
  readonly source: string;
  /** Why the latest sync failed, e.g. "no reply from pool.ntp.org:123 within 2000 ms". */
  readonly reason: string;
  readonly lastAttemptAt: number | null;
  /** The held offset, still added to the host clock. */
  readonly offsetMs: number;
  readonly lastSyncAt: number;
  /** Epoch ms (host clock) of the first failed sync after the last good one. */
  readonly holdoverSince: number;
  /** How long the reference has been in holdover. */
  readonly holdoverForMs: number;
  /** Grows with the time since the last good sync. */
  readonly uncertaintyMs: number;
}

export interface UnsynchronizedReferenceStatus {
  readonly synchronized: false;
  readonly state?: 'unsynced';
  readonly source: string;
  /** Human-readable, e.g. "no reply from pool.ntp.org:123 within 2000 ms". */
  readonly reason: string;
  /** Epoch ms (host clock) of the last attempt; null before the first one. */
  readonly lastAttemptAt: number | null;
}

export type ReferenceClockStatus =
  SynchronizedReferenceStatus | HoldoverReferenceStatus | UnsynchronizedReferenceStatus;

export const referenceStateOf = (status: ReferenceClockStatus): ReferenceClockState =>
  status.synchronized ? 'synchronized' : (status.state ?? 'unsynced');

export { VirtualReferenceClock } from './virtual-reference-clock';
export {
  NtpDisciplinedReferenceClock,
  type NtpDisciplinedReferenceClockOptions,
} from './ntp-disciplined-reference-clock';
