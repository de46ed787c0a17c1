/** Small measuring helpers: percentiles, peak RSS sampling, a plain-text table. */

export const percentile = (sortedValues: readonly number[], fraction: number): number => {
  if (sortedValues.length === 0) return Number.NaN;
  const index = Math.min(sortedValues.length - 1, Math.ceil(fraction * sortedValues.length) - 1);
  return sortedValues[Math.max(0, index)]!;
};

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

export const megabytes = (bytes: number): number => round(bytes / 1024 / 1024, 0);

/** Samples the process RSS (PGlite's worker thread included) until stopped; returns the peak seen. */
export const sampleRss = (intervalMs = 25): { stop(): number } => {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
};

export const printTable = (title: string, rows: readonly Record<string, string | number>[]): void => {
  if (rows.length === 0) return;
  const headers = Object.keys(rows[0]!);
  const widths = headers.map((header) => Math.max(header.length, ...rows.map((row) => String(row[header]).length)));
  const line = (cells: readonly string[]) => cells.map((cell, index) => cell.padStart(widths[index]!)).join('  ');
  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(headers.map((header) => String(row[header]))));
};
