import { verifyMac } from './auth/ntp-mac';
import type { NtpSymmetricKey } from './auth/ntp-symmetric-key';
import { NtpQueryError, type NtpFailureReason } from './ntp-query-error';
import { MODE_SERVER, NTP_PACKET_BYTES, asciiReferenceId, parseReplyHeader, type NtpReplyHeader } from './ntp-packet';

/**
 * What to do with one datagram that arrived on the query's socket
 * (RFC 5905 §8 checks, in the order a spoofed or broken packet fails them).
 *
 * - `ignore`: it is not a genuine answer to our request (too short, not a
 *   server packet, not echoing our unguessable origin, or without a valid MAC
 *   when a key is configured). Anyone can send such a datagram, so it must not
 *   end the query: we keep waiting for the real reply until the timeout, and
 *   report the most telling ignored reason if none comes.
 * - `reject`: the server itself answered, but with something unusable
 *   (Kiss-o'-Death, unsynchronised, zero timestamps): final.
 * - `accept`: a reply we may compute with.
 */
export type ReplyVerdict =
  | { readonly kind: 'ignore'; readonly reason: NtpFailureReason; readonly detail: string; readonly rank: number }
  | { readonly kind: 'reject'; readonly error: NtpQueryError }
  | { readonly kind: 'accept'; readonly header: NtpReplyHeader };

const ignore = (reason: NtpFailureReason, rank: number, detail: string): ReplyVerdict => ({
  kind: 'ignore',
  reason,
  detail,
  rank,
});

/** Ranks say how far an ignored datagram got: the reason of the furthest one is the most telling. */
const RANK = { short: 1, format: 2, origin: 3, mac: 4 } as const;

const serverVerdict = (header: NtpReplyHeader, server: string): ReplyVerdict => {
  const reject = (reason: NtpFailureReason, message: string, kissCode?: string): ReplyVerdict => ({
    kind: 'reject',
    error: new NtpQueryError(reason, server, message, kissCode),
  });
  if (header.stratum === 0) {
    const kissCode = asciiReferenceId(header.referenceIdRaw);
    return reject('kiss-of-death', `NTP server ${server} sent a Kiss-o'-Death: ${kissCode}`, kissCode);
  }
  if (header.stratum >= 16) {
    return reject('unsynchronized-stratum', `NTP server ${server} is unsynchronised (stratum ${header.stratum})`);
  }
  if (header.leapIndicator === 3) {
    return reject('unsynchronized-leap', `NTP server ${server} is unsynchronised (leap indicator 3)`);
  }
  if (header.transmitTimestamp === 0n) {
    return reject('zero-transmit-timestamp', `NTP reply from ${server} has a zero transmit timestamp`);
  }
  if (header.receiveTimestamp === 0n) {
    return reject('zero-receive-timestamp', `NTP reply from ${server} has a zero receive timestamp`);
  }
  return { kind: 'accept', header };
};

export const judgeReply = (
  packet: Buffer,
  expectation: { readonly server: string; readonly sentTransmit: bigint; readonly key?: NtpSymmetricKey },
): ReplyVerdict => {
  const { server, sentTransmit, key } = expectation;
  if (packet.length < NTP_PACKET_BYTES) {
    return ignore(
      'short-packet',
      RANK.short,
      `NTP reply from ${server} is ${packet.length} bytes (expected at least ${NTP_PACKET_BYTES})`,
    );
  }
  const header = parseReplyHeader(packet);
  if (header.version !== 3 && header.version !== 4) {
    return ignore(
      'bad-version',
      RANK.format,
      `NTP reply from ${server} has version ${header.version} (expected 3 or 4)`,
    );
  }
  if (header.mode !== MODE_SERVER) {
    return ignore('bad-mode', RANK.format, `NTP reply from ${server} has mode ${header.mode} (expected 4, server)`);
  }
  if (header.originTimestamp !== sentTransmit) {
    return ignore(
      'origin-mismatch',
      RANK.origin,
      `NTP reply from ${server} does not echo our transmit timestamp (bogus or stale reply)`,
    );
  }
  if (key) {
    // Checked before the Kiss-o'-Death test: an unauthenticated KoD could come from anyone on the path.
    const mac = verifyMac(packet, key, header.version);
    if (!mac.valid) {
      const what = header.stratum === 0 ? `Kiss-o'-Death ${asciiReferenceId(header.referenceIdRaw)}` : 'reply';
      return ignore(mac.reason, RANK.mac, `NTP ${what} from ${server} ${mac.detail}`);
    }
  }
  return serverVerdict(header, server);
};
