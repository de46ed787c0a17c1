/**
 * TRUST_PROXY: which proxies in front of the backend may say who the client
 * is (X-Forwarded-For). Unset, nobody: every client is its socket's address,
 * which behind nginx is nginx's, so the per-address limits (writes per minute,
 * login failures, live streams per client) would count every client as one.
 *
 * A number is the count of proxy hops to trust: 1 for one proxy whose own
 * address is the socket's, the safe choice, since the proxy's entry is then
 * the client whatever its address. Otherwise addresses, CIDR ranges or
 * proxy-addr's names (loopback, linklocal, uniquelocal), comma-separated: a
 * client whose own address is in a trusted range can then name any address
 * in front of it. "true" (and /0) is refused: trusting any sender lets every
 * client pick its own address and walk past the limits. "false" or "none":
 * nobody.
 */
import { isIP } from 'node:net';

/** As Fastify's `trustProxy` takes it: false (its default) for nobody. */
export type TrustProxy = false | number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 10;

/** An address or CIDR range as written: its family, whether IPv4-mapped or zoned, and its prefix length (none: one address). */
interface Range {
  readonly family: number;
  readonly mapped: boolean;
  readonly zoned: boolean;
  readonly bits?: number;
}

/** Read once for both checks below. */
const rangeOf = (entry: string): Range | null => {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return null;
  const zoned = address.includes('%');
  const mapped = family === 6 && address.includes('.');
  if (prefix === undefined) return { family, mapped, zoned };
  return /^\d{1,3}$/.test(prefix) ? { family, mapped, zoned, bits: Number(prefix) } : null;
};

/** What proxy-addr compiles and matches: no zone ids, no /0 (everyone), mapped IPv4 only within its /96. */
const isAddressOrRange = (entry: string): boolean => {
  if (NAMED_RANGES.has(entry)) return true;
  const range = rangeOf(entry);
  if (range === null || range.zoned) return false;
  if (range.bits === undefined) return true;
  const smallest = range.mapped ? 96 : 1;
  return range.bits >= smallest && range.bits <= (range.family === 4 ? 32 : 128);
};

/** A /0 range, of any address: every sender. */
const trustsEveryone = (entry: string): boolean => rangeOf(entry)?.bits === 0;

/** The setting as Fastify's `trustProxy` takes it, or a message saying what is wrong. */
export const parseTrustProxy = (raw: string | undefined): { value: TrustProxy } | { error: string } => {
  const text = raw?.trim() ?? '';
  if (text === '' || /^(false|none)$/i.test(text)) return { value: false };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops >= 1 && hops <= MAX_HOPS
      ? { value: hops }
      : { error: `a hop count must be 1 to ${MAX_HOPS}, got ${text}` };
  }
  const entries = text.split(',').map((entry) => entry.trim());
  if (/^(true|\*)$/i.test(text) || entries.some(trustsEveryone))
    return {
      error:
        "trusting every sender lets any client choose its own address and walk past the limits; trust a hop count (1 behind one proxy) or name the proxy's own addresses",
    };
  const invalid = entries.filter((entry) => !isAddressOrRange(entry));
  return invalid.length === 0
    ? { value: entries }
    : {
        error: `not an address, CIDR range or loopback/linklocal/uniquelocal: ${invalid.map((entry) => JSON.stringify(entry)).join(', ')}`,
      };
};
