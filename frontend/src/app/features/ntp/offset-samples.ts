import type { ChartData } from 'chart.js';
import type { ClockHistoryEntry, TimeStatus } from '../../core/api/api-types';
import { clockTime } from '../../shared/time-format';

/** One point of a server's clock over time, from a status poll or a logged history entry. */
export interface OffsetSample {
  serverId: string;
  atMs: number;
  /** What the server was really off by at that moment (offset + drift + step). */
  configuredOffsetMs: number;
  /** null before the first sync: the chart leaves a gap rather than drawing 0. */
  estimatedOffsetMs: number | null;
  /** null = unbounded (never synchronised). */
  errorBoundMs: number | null;
}

export const MAX_SAMPLES_PER_SERVER = 120;

/** Stamped with the backend's reference time, the time base of the history entries too. */
export function sampleFromStatus(status: TimeStatus): OffsetSample {
  return {
    serverId: status.server_id,
    atMs: status.reference_time_ms,
    configuredOffsetMs: status.configured.offset_ms,
    estimatedOffsetMs: status.estimated_offset_ms,
    errorBoundMs: status.error_bound_ms,
  };
}

/** Both kinds chart: a configuration moves the true line, a sync moves the estimate. */
export function sampleFromHistory(entry: ClockHistoryEntry): OffsetSample {
  return {
    serverId: entry.server_id,
    atMs: entry.reference_time_ms,
    configuredOffsetMs: entry.true_offset_ms,
    estimatedOffsetMs: entry.estimated_offset_ms,
    errorBoundMs: entry.error_bound_ms,
  };
}

/** Chart.js draws NaN as a gap; a missing estimate must not read as 0 ms. */
const gapWhenNull = (value: number | null): number => value ?? Number.NaN;

/** Adds samples, keeps time order and only the newest per server (the chart shows a window). */
export function mergeSamples(existing: readonly OffsetSample[], added: readonly OffsetSample[]): OffsetSample[] {
  const byKey = new Map<string, OffsetSample>();
  for (const sample of [...existing, ...added]) byKey.set(`${sample.serverId}@${sample.atMs}`, sample);
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

export function offsetChartData(
  samples: readonly OffsetSample[],
  serverId: string,
): ChartData<'line', number[], string> {
  const mine = samples.filter((sample) => sample.serverId === serverId);
  return {
    labels: mine.map((sample) => clockTime(sample.atMs).slice(0, 8)),
    datasets: [
      {
        label: 'configured offset (ms)',
        data: mine.map((s) => s.configuredOffsetMs),
        borderColor: '#64748b',
        backgroundColor: '#64748b',
        stepped: true,
        pointRadius: 0,
        borderWidth: 2,
      },
      {
        label: 'estimated offset (ms)',
        data: mine.map((s) => gapWhenNull(s.estimatedOffsetMs)),
        borderColor: '#2563eb',
        backgroundColor: '#2563eb',
        // An estimate holds until the next sync: step through the configuration points that carry none.
        stepped: true,
        spanGaps: true,
        pointRadius: 2,
        borderWidth: 2,
      },
    ],
  };
}

export function errorBoundChartData(
  samples: readonly OffsetSample[],
  thresholdMs: number,
): ChartData<'line', number[], string> {
  const servers = [...new Set(samples.map((sample) => sample.serverId))].sort();
  const times = [...new Set(samples.map((sample) => sample.atMs))].sort((a, b) => a - b);
  const palette = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d'];
  return {
    labels: times.map((time) => clockTime(time).slice(0, 8)),
    datasets: [
      ...servers.map((serverId, index) => {
        const byTime = new Map(samples.filter((s) => s.serverId === serverId).map((s) => [s.atMs, s.errorBoundMs]));
        return {
          label: serverId,
          data: times.map((time) => gapWhenNull(byTime.get(time) ?? null)),
          borderColor: palette[index % palette.length],
          backgroundColor: palette[index % palette.length],
          spanGaps: true,
          pointRadius: 0,
          borderWidth: 1.5,
        };
      }),
      {
        label: 'threshold',
        data: times.map(() => thresholdMs),
        borderColor: '#dc2626',
        backgroundColor: '#dc2626',
        borderDash: [6, 4],
        pointRadius: 0,
        borderWidth: 1,
      },
    ],
  };
}
