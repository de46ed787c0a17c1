import type { ClockHistoryEntry, TimeStatus } from '../../core/api/api-types';

/** One point of a server's clock over time, from a status poll or a logged history entry. */
export interface OffsetSample {
  serverId: string;
  /** Reference time of the reading, ms since the epoch: the charts' time axis. */
  atMs: number;
  /** What the server was really off by then (offset + drift + step). */
  trueOffsetMs: number;
  /** null before the first sync: the chart leaves a gap rather than drawing 0. */
  estimatedOffsetMs: number | null;
  /** null = unbounded (never synchronised). */
  errorBoundMs: number | null;
  /** A configuration or a sync from the log: where the drift view restarts from zero. */
  anchor: boolean;
}

export interface TimePoint {
  x: number;
  y: number;
}

export const MAX_SAMPLES_PER_SERVER = 240;

/** Stamped with the backend's reference time, the time base of the history entries too. */
export function sampleFromStatus(status: TimeStatus): OffsetSample {
  return {
    serverId: status.server_id,
    atMs: status.reference_time_ms,
    trueOffsetMs: status.true_offset_ms,
    estimatedOffsetMs: status.estimated_offset_ms,
    errorBoundMs: status.error_bound_ms,
    anchor: false,
  };
}

/** Both kinds chart: a configuration moves the true line, a sync moves the estimate. */
export function sampleFromHistory(entry: ClockHistoryEntry): OffsetSample {
  return {
    serverId: entry.server_id,
    atMs: entry.reference_time_ms,
    trueOffsetMs: entry.true_offset_ms,
    estimatedOffsetMs: entry.estimated_offset_ms,
    errorBoundMs: entry.error_bound_ms,
    anchor: true,
  };
}

/** Adds samples, keeps time order and only the newest per server (the charts show a window). */
export function mergeSamples(existing: readonly OffsetSample[], added: readonly OffsetSample[]): OffsetSample[] {
  const byKey = new Map<string, OffsetSample>();
  for (const sample of [...existing, ...added]) {
    const key = `${sample.serverId}@${sample.atMs}`;
    const known = byKey.get(key);
    // A logged entry and a poll at the same instant: the entry is the anchor.
    byKey.set(key, known?.anchor && !sample.anchor ? known : sample);
  }
  const sorted = [...byKey.values()].filter((sample) => Number.isFinite(sample.atMs)).sort((a, b) => a.atMs - b.atMs);
  const kept: OffsetSample[] = [];
  const perServer = new Map<string, number>();
  for (let index = sorted.length - 1; index >= 0; index--) {
    const count = perServer.get(sorted[index].serverId) ?? 0;
    if (count < MAX_SAMPLES_PER_SERVER) kept.push(sorted[index]);
    perServer.set(sorted[index].serverId, count + 1);
  }
  return kept.reverse();
}

export const serversOf = (samples: readonly OffsetSample[]): string[] =>
  [...new Set(samples.map((sample) => sample.serverId))].sort();

/** A missing value is a gap in the line (Chart.js skips NaN), never 0 ms. */
const point = (x: number, y: number | null): TimePoint => ({ x, y: y ?? Number.NaN });

/** True and NTP-estimated offset of one server over time. */
export function offsetSeries(
  samples: readonly OffsetSample[],
  serverId: string,
): { trueOffset: TimePoint[]; estimated: TimePoint[] } {
  const mine = samples.filter((sample) => sample.serverId === serverId);
  return {
    trueOffset: mine.map((sample) => point(sample.atMs, sample.trueOffsetMs)),
    estimated: mine.map((sample) => point(sample.atMs, sample.estimatedOffsetMs)),
  };
}

export function errorBoundSeries(samples: readonly OffsetSample[]): Map<string, TimePoint[]> {
  return new Map(
    serversOf(samples).map((serverId) => [
      serverId,
      samples.filter((sample) => sample.serverId === serverId).map((sample) => point(sample.atMs, sample.errorBoundMs)),
    ]),
  );
}

export interface DriftSeries {
  serverId: string;
  /** When the view restarts: the server's last configuration or sync. */
  sinceMs: number;
  /** Offset change since then, ms. */
  points: TimePoint[];
  /** The slope of the change, in ppm (µs per s), or null with fewer than two points a second apart. */
  measuredPpm: number | null;
}

/**
 * How far each clock moved since its last sync or configuration: on the
 * offset chart −452 ppm is a flat line on a scale of seconds, here it is the
 * whole height (−21.7 ms in 48 s).
 */
export function driftSeries(samples: readonly OffsetSample[]): DriftSeries[] {
  return serversOf(samples).flatMap((serverId) => {
    const mine = samples.filter((sample) => sample.serverId === serverId);
    const anchor = mine.filter((sample) => sample.anchor).at(-1) ?? mine[0];
    if (!anchor) return [];
    const since = mine.filter((sample) => sample.atMs >= anchor.atMs);
    const points = since.map((sample) => ({ x: sample.atMs, y: sample.trueOffsetMs - anchor.trueOffsetMs }));
    const last = points.at(-1);
    const spanMs = last ? last.x - anchor.atMs : 0;
    const measuredPpm = last && spanMs >= 1000 ? (last.y / spanMs) * 1e6 : null;
    return [{ serverId, sinceMs: anchor.atMs, points, measuredPpm }];
  });
}

/** The first and last reading, for a threshold line across the whole window. */
export function timeSpan(samples: readonly OffsetSample[]): [number, number] | null {
  if (samples.length === 0) return null;
  return [samples[0].atMs, samples[samples.length - 1].atMs];
}
