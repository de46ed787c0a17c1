/** "+12.3 ms" relative to an origin; lab times differ by milliseconds, not hours. */
export function relativeMs(timeMs: number, originMs: number): string {
  const delta = timeMs - originMs;
  const rounded = Math.round(delta * 10) / 10;
  return `${rounded >= 0 ? '+' : ''}${rounded.toFixed(1)}`;
}

/** HH:MM:SS.mmm in UTC, the precision the lab cares about. */
export function clockTime(timeMs: number): string {
  return new Date(timeMs).toISOString().slice(11, 23);
}

/** "12.3 ms", or "—" when the API has no value (e.g. no sync yet). */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  // Round first so -0.04 reads "0.0 ms", not "-0.0 ms".
  const rounded = Math.round(value * 10) / 10 || 0;
  return `${rounded.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ms`;
}
