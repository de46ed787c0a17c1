/**
 * RFC 5905 64-bit timestamps: unsigned 32.32 fixed point, seconds since
 * 1900-01-01 UTC. Kept as bigint on the wire so no sub-millisecond precision
 * is lost (a float of epoch ms resolves ~0.24 µs; a double cannot hold the
 * 64-bit value itself).
 */

const TWO_POW_32 = 2n ** 32n;
const TWO_POW_64 = 2n ** 64n;
/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_TO_UNIX_SECONDS = 2_208_988_800n;
const NTP_TO_UNIX_MS = NTP_TO_UNIX_SECONDS * 1000n;

/** Epoch ms (may carry a fraction) → 64-bit NTP timestamp (era 0/1 folded modulo 2^64). */
export const epochMsToNtpTimestamp = (epochMs: number): bigint => {
  const wholeMs = Math.floor(epochMs);
  const fractionMs = epochMs - wholeMs;
  const fromWholeMs = ((BigInt(wholeMs) + NTP_TO_UNIX_MS) * TWO_POW_32) / 1000n;
  const fromFractionMs = BigInt(Math.round((fractionMs * Number(TWO_POW_32)) / 1000));
  return (((fromWholeMs + fromFractionMs) % TWO_POW_64) + TWO_POW_64) % TWO_POW_64;
};

/**
 * Resolves the era: a timestamp whose top bit is clear is taken as era 1
 * (after 2036-02-07), as RFC 4330 §3 suggests; valid from 1968 to 2104.
 */
const unfoldEra = (timestamp: bigint): bigint => (timestamp < 2n ** 63n ? timestamp + TWO_POW_64 : timestamp);

/** 64-bit NTP timestamp → epoch ms, with sub-millisecond fraction. */
export const ntpTimestampToEpochMs = (timestamp: bigint): number => {
  const unfolded = unfoldEra(timestamp);
  const scaledMs = unfolded * 1000n;
  const wholeMs = scaledMs / TWO_POW_32;
  const remainder = scaledMs - wholeMs * TWO_POW_32;
  return Number(wholeMs - NTP_TO_UNIX_MS) + Number(remainder) / Number(TWO_POW_32);
};

/**
 * later − earlier in ms, computed on the integers first so that two nearby
 * timestamps subtract exactly (RFC 5905 §8 warns about exactly this).
 */
export const ntpDifferenceMs = (later: bigint, earlier: bigint): number =>
  (Number(unfoldEra(later) - unfoldEra(earlier)) * 1000) / Number(TWO_POW_32);

/** NTP "short format" (16.16 seconds, unsigned) → ms: root delay and dispersion. */
export const ntpShortToMs = (value: number): number => (value / 65536) * 1000;

export const readTimestamp = (packet: Buffer, offset: number): bigint => packet.readBigUInt64BE(offset);
