/**
 * Hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks",
 * 2014). A stamp stays close to physical time yet respects causality: a
 * receive is always stamped after the send it saw, even when the sender's
 * clock is ahead. Pure: physical time is passed in.
 *
 * Physical time is floored to whole milliseconds (the logical counter orders
 * events inside one millisecond) and the wall part never goes below the
 * initial stamp's 0, so stamps are non-negative integers and encode to
 * fixed-width, lexicographically sortable strings.
 */

export interface HlcStamp {
  /** max physical time seen, whole ms. */
  readonly wallMs: number;
  /** Counter for events sharing the same wallMs. */
  readonly logical: number;
  /** Tie-breaker for a total order (the booking server id). */
  readonly nodeId: string;
}

export const initialHlc = (nodeId: string): HlcStamp => ({ wallMs: 0, logical: 0, nodeId });

const wholeMs = (physicalMs: number): number => Math.floor(physicalMs);

/** A local or send event at physical time `physicalMs`. */
export const tick = (local: HlcStamp, physicalMs: number): HlcStamp => {
  const wallMs = Math.max(local.wallMs, wholeMs(physicalMs));
  const logical = wallMs === local.wallMs ? local.logical + 1 : 0;
  return { wallMs, logical, nodeId: local.nodeId };
};

/** A receive event: merges the remote stamp, keeping the local node id. */
export const receive = (local: HlcStamp, remote: HlcStamp, physicalMs: number): HlcStamp => {
  const wallMs = Math.max(local.wallMs, remote.wallMs, wholeMs(physicalMs));
  let logical: number;
  if (wallMs === local.wallMs && wallMs === remote.wallMs) logical = Math.max(local.logical, remote.logical) + 1;
  else if (wallMs === local.wallMs) logical = local.logical + 1;
  else if (wallMs === remote.wallMs) logical = remote.logical + 1;
  else logical = 0;
  return { wallMs, logical, nodeId: local.nodeId };
};

/** Total order: wall, then logical, then node id. Negative when a < b. */
export const compareHlc = (a: HlcStamp, b: HlcStamp): number => {
  if (a.wallMs !== b.wallMs) return a.wallMs < b.wallMs ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  if (a.nodeId === b.nodeId) return 0;
  return a.nodeId < b.nodeId ? -1 : 1;
};

const WALL_DIGITS = 15; // epoch ms stay below 1e15 until the year 33658
const LOGICAL_DIGITS = 10;

/**
 * `<wall 15 digits>.<logical 10 digits>.<nodeId>`: comparing two encodings as
 * strings gives the same order as `compareHlc` (fixed-width numeric prefix,
 * node id last).
 */
export const encodeHlc = (stamp: HlcStamp): string => {
  if (!Number.isSafeInteger(stamp.wallMs) || stamp.wallMs < 0 || stamp.wallMs >= 10 ** WALL_DIGITS) {
    throw new RangeError(`HLC wall time out of range: ${stamp.wallMs}`);
  }
  if (!Number.isSafeInteger(stamp.logical) || stamp.logical < 0 || stamp.logical >= 10 ** LOGICAL_DIGITS) {
    throw new RangeError(`HLC logical counter out of range: ${stamp.logical}`);
  }
  const wall = String(stamp.wallMs).padStart(WALL_DIGITS, '0');
  const logical = String(stamp.logical).padStart(LOGICAL_DIGITS, '0');
  return `${wall}.${logical}.${stamp.nodeId}`;
};

const ENCODED_HLC = /^(\d{15})\.(\d{10})\.(.*)$/s;

export const decodeHlc = (encoded: string): HlcStamp => {
  const match = ENCODED_HLC.exec(encoded);
  if (!match) throw new RangeError(`Not an encoded HLC stamp: "${encoded}"`);
  return { wallMs: Number(match[1]), logical: Number(match[2]), nodeId: match[3] ?? '' };
};
