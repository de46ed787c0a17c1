// One way to write numbers and times everywhere in the console: en-US digit
// grouping, one decimal for milliseconds, a unit on every figure, local
// wall-clock time (what the classroom's clock shows) to the millisecond.
import { isUnboundedMs } from './unbounded';

const ONE_DECIMAL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const CLOCK = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hour12: false,
});

const missing = (value: number | null | undefined): value is null | undefined =>
  value === null || value === undefined || !Number.isFinite(value);

/** Round first, so -0.04 reads "0.0", never "-0.0". */
const oneDecimal = (value: number): string => ONE_DECIMAL.format(Math.round(value * 10) / 10 || 0);
const signed = (value: number, text: string): string => (Math.round(value * 10) / 10 > 0 ? `+${text}` : text);

/** "1,234.5 ms", or "—" when the API has no value (no sync yet). */
export function formatMs(value: number | null | undefined): string {
  return missing(value) ? '—' : `${oneDecimal(value)} ms`;
}

/** "±2.5 ms", or "unbounded" for the one day the API records when there is no bound. */
export function formatBoundMs(value: number | null | undefined): string {
  if (missing(value)) return '—';
  return isUnboundedMs(value) ? 'unbounded' : `±${formatMs(value)}`;
}

/**
 * How far a real clock's truth may itself be off: sub-ms figures to 0.01 ms (loopback references
 * are ±0.01–1 ms), "unknown" for a truth read against an unsynced reference (the one day recorded).
 */
export function formatTruthUncertaintyMs(value: number): string {
  if (isUnboundedMs(value)) return 'unknown (unsynced reference)';
  return value < 1 ? `±${value.toFixed(2)} ms` : `±${formatMs(value)}`;
}

/** "+1,234.5 ms" / "-3.0 ms": an offset or a time relative to an origin. */
export function formatSignedMs(value: number | null | undefined): string {
  return missing(value) ? '—' : `${signed(value, oneDecimal(value))} ms`;
}

/** "+23.3 s" past a second, else "+12.5 ms": a clock offset at a glance (pickers, narration). */
export function formatOffset(value: number | null | undefined): string {
  if (missing(value)) return '—';
  return Math.abs(value) >= 1000 ? `${signed(value, oneDecimal(value / 1000))} s` : formatSignedMs(value);
}

export function formatPpm(value: number | null | undefined): string {
  return missing(value) ? '—' : `${signed(value, oneDecimal(value))} ppm`;
}

/** A plain figure with one decimal: "1,500.0". */
export function formatDecimal(value: number | null | undefined): string {
  return missing(value) ? '—' : oneDecimal(value);
}

/** Whole counts: "12,345". */
export function formatCount(value: number | null | undefined): string {
  return missing(value) ? '—' : WHOLE.format(value);
}

/** HH:MM:SS.mmm, local time. */
export function clockTime(timeMs: number): string {
  return CLOCK.format(new Date(timeMs));
}

/** An ISO timestamp from the API as clockTime, or "—". */
export function clockTimeOf(iso: string | null | undefined): string {
  const timeMs = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(timeMs) ? clockTime(timeMs) : '—';
}

/** A hybrid logical clock stamp, read: physical time, the counter that orders events within one ms, the server. */
export interface HlcReading {
  physicalMs: number;
  counter: number;
  serverId: string;
}

const ENCODED_HLC = /^(\d{15})\.(\d{10})\.(.*)$/s;

/** The backend writes `<wall ms, 15 digits>.<counter, 10 digits>.<server id>` so stamps sort as text. */
export function readHlc(encoded: string): HlcReading | null {
  const match = ENCODED_HLC.exec(encoded);
  return match ? { physicalMs: Number(match[1]), counter: Number(match[2]), serverId: match[3] } : null;
}

/** "12:00:01.234 + 3": physical time, then the counter (the raw stamp when it is not one). */
export function formatHlc(encoded: string): string {
  const hlc = readHlc(encoded);
  return hlc ? `${clockTime(hlc.physicalMs)} + ${hlc.counter}` : encoded;
}
