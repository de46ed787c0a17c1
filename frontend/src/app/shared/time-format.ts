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
