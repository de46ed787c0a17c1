import type { MacFailureReason } from './auth/ntp-mac';

/** Why an NTP query produced no usable sample. */
export type NtpFailureReason =
  | 'kiss-of-death'
  | 'unsynchronized-stratum'
  | 'unsynchronized-leap'
  | 'zero-transmit-timestamp'
  | 'zero-receive-timestamp'
  | 'origin-mismatch'
  | 'bad-mode'
  | 'bad-version'
  | 'short-packet'
  | MacFailureReason
  | 'timeout'
  | 'dns-failure'
  | 'unreachable'
  | 'socket-error';

export class NtpQueryError extends Error {
  constructor(
    readonly reason: NtpFailureReason,
    /** host:port as queried. */
    readonly server: string,
    message: string,
    /** The four-letter code of a Kiss-o'-Death reply (RATE, DENY, RSTR…). */
    readonly kissCode?: string,
    /** Datagrams ignored while waiting (junk, spoofed, unauthenticated); the reason is the most telling of them. */
    readonly ignoredDatagrams = 0,
  ) {
    super(message);
    this.name = 'NtpQueryError';
  }
}
