import type { NtpKeyType } from './auth/ntp-symmetric-key';
import type { NtpFailureReason } from './ntp-query-error';
import type {
  HoldoverReferenceStatus,
  SynchronizedReferenceStatus,
  UnsynchronizedReferenceStatus,
} from './reference-clock';

/** Why a source took no part in the last sync: its query failed, it failed a sanity check, or selection dropped it. */
export type NtpSourceRejection = NtpFailureReason | 'panic-threshold' | 'max-change' | 'falseticker' | 'no-majority';

/** Every rejection, for the OpenAPI enum; a Record so that a reason added to the type must be added here. */
const REJECTION_SET: Readonly<Record<NtpSourceRejection, true>> = {
  'kiss-of-death': true,
  'unsynchronized-stratum': true,
  'unsynchronized-leap': true,
  'zero-transmit-timestamp': true,
  'zero-receive-timestamp': true,
  'origin-mismatch': true,
  'bad-mode': true,
  'bad-version': true,
  'short-packet': true,
  'mac-missing': true,
  'mac-truncated': true,
  'mac-key-id-mismatch': true,
  'mac-invalid': true,
  'crypto-nak': true,
  timeout: true,
  'dns-failure': true,
  unreachable: true,
  'socket-error': true,
  'panic-threshold': true,
  'max-change': true,
  falseticker: true,
  'no-majority': true,
};
export const NTP_SOURCE_REJECTIONS = Object.keys(REJECTION_SET) as NtpSourceRejection[];

/** One NTP_SERVER entry as the last sync saw it. */
export interface NtpSourceReport {
  /** host:port */
  readonly server: string;
  /** `pending` before the first sync; `selected` when it took part in the combined offset. */
  readonly status: 'pending' | 'selected' | 'rejected';
  readonly reason: NtpSourceRejection | null;
  /** The rejection in words, or why a selected answer was kept out (looser than the held estimate). */
  readonly detail: string | null;
  /** θ of its best sample (also when rejected by a sanity check or selection, to show the lie). */
  readonly offsetMs: number | null;
  readonly roundTripDelayMs: number | null;
  readonly rootDistanceMs: number | null;
  readonly stratum: number | null;
  readonly authenticated: boolean;
  /** Datagrams ignored while waiting for its replies (junk, spoofed, unauthenticated). */
  readonly ignoredDatagrams: number;
}

export interface NtpDisciplineReport {
  readonly sources: readonly NtpSourceReport[];
  /** Part of the last correction still being slewed in (signed, ms); 0 when the applied offset is on target. */
  readonly slewRemainingMs: number;
  readonly maxSlewPpm: number;
  /** Rate of the offset measured across syncs, or null until two syncs far enough apart measured it. */
  readonly frequencyPpm: number | null;
  readonly authentication: { readonly keyId: number; readonly type: NtpKeyType } | null;
}

/** What the NTP-disciplined reference reports: the port's status, always with its state, plus the discipline. */
export type NtpReferenceStatus = (
  | (SynchronizedReferenceStatus & { readonly state: 'synchronized'; readonly uncertaintyMs: number })
  | HoldoverReferenceStatus
  | (UnsynchronizedReferenceStatus & { readonly state: 'unsynced' })
) &
  NtpDisciplineReport;
