import { ntpShortToMs, readTimestamp } from './ntp-timestamp';

/** RFC 5905 §7.3 packet header, the fields a client needs. */
export interface NtpReplyHeader {
  readonly leapIndicator: 0 | 1 | 2 | 3;
  readonly version: number;
  readonly mode: number;
  readonly stratum: number;
  readonly pollLog2: number;
  readonly precisionLog2: number;
  readonly rootDelayMs: number;
  readonly rootDispersionMs: number;
  /** The raw 32-bit reference id (ASCII kiss code / refclock name, or IPv4). */
  readonly referenceIdRaw: Buffer;
  readonly originTimestamp: bigint;
  readonly receiveTimestamp: bigint;
  readonly transmitTimestamp: bigint;
}

export const NTP_PACKET_BYTES = 48;
export const MODE_CLIENT = 3;
export const MODE_SERVER = 4;
const CLIENT_VERSION = 4;

/** A 48-byte mode 3 (client) request carrying `transmitTimestamp`; LI 0, VN 4. */
export const buildClientRequest = (transmitTimestamp: bigint): Buffer => {
  const packet = Buffer.alloc(NTP_PACKET_BYTES);
  packet[0] = (0 << 6) | (CLIENT_VERSION << 3) | MODE_CLIENT;
  packet.writeBigUInt64BE(transmitTimestamp, 40);
  return packet;
};

/** Parses the header; the caller must have checked the length. */
export const parseReplyHeader = (packet: Buffer): NtpReplyHeader => {
  const first = packet[0] as number;
  return {
    leapIndicator: (first >> 6) as 0 | 1 | 2 | 3,
    version: (first >> 3) & 0b111,
    mode: first & 0b111,
    stratum: packet[1] as number,
    pollLog2: packet.readInt8(2),
    precisionLog2: packet.readInt8(3),
    rootDelayMs: ntpShortToMs(packet.readUInt32BE(4)),
    rootDispersionMs: ntpShortToMs(packet.readUInt32BE(8)),
    referenceIdRaw: packet.subarray(12, 16),
    originTimestamp: readTimestamp(packet, 24),
    receiveTimestamp: readTimestamp(packet, 32),
    transmitTimestamp: readTimestamp(packet, 40),
  };
};

/** Kiss codes and stratum-1 refclock names are ASCII, padded with NULs. */
export const asciiReferenceId = (raw: Buffer): string =>
  raw
    .toString('latin1')
    .replace(/\0+$/, '')
    .replace(/[^\x20-\x7e]/g, '?');

/** Stratum ≥ 2 servers put their upstream's IPv4 address (or an IPv6 hash) in the reference id. */
export const describeReferenceId = (stratum: number, raw: Buffer): string =>
  stratum <= 1 ? asciiReferenceId(raw) : Array.from(raw).join('.');
