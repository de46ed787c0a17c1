import type { SeatTimeline, TimelineAttempt } from '../../../core/api/api-types';
import { isUnboundedMs } from '../../unbounded';

/** The three clocks an attempt is seen through, top to bottom. */
export type TimelineRowKey = 'server_clock' | 'ntp_corrected' | 'truth';

export const TIMELINE_ROWS: readonly { key: TimelineRowKey; label: string }[] = [
  { key: 'server_clock', label: 'Server clock' },
  { key: 'ntp_corrected', label: 'NTP-corrected' },
  { key: 'truth', label: 'True time' },
];

export interface TimelineGeometry {
  width: number;
  labelWidth: number;
  rightPadding: number;
  top: number;
  rowGap: number;
}

export const DEFAULT_GEOMETRY: TimelineGeometry = {
  width: 900,
  labelWidth: 120,
  rightPadding: 24,
  top: 28,
  rowGap: 64,
};

export interface TimelineMark {
  attemptId: string;
  customerName: string;
  serverId: string;
  timeMs: number;
  x: number;
  y: number;
  /** 1 = first under this row's ordering. */
  rank: number;
  isWinner: boolean;
  /** Same index for the same attempt on every row, so colour follows the attempt. */
  colorIndex: number;
  /**
   * Half-width in px of what the row's time may be off by: the error bound on the NTP-corrected
   * row, the truth's own uncertainty (real clocks) on the true-time row; 0 elsewhere and when unbounded.
   */
  errorBoundPx: number;
  /** No bound at all (a server that never synced; a truth read against an unsynced reference). */
  unbounded: boolean;
}

export interface TimelineRow {
  key: TimelineRowKey;
  label: string;
  y: number;
  marks: TimelineMark[];
  winnerId: string | null;
  /** This ordering picks someone other than the truly first attempt. */
  inverted: boolean;
}

export interface TimelineLink {
  attemptId: string;
  colorIndex: number;
  points: { x: number; y: number }[];
}

export interface TimelineLayout {
  rows: TimelineRow[];
  links: TimelineLink[];
  ticks: { x: number; label: string }[];
  height: number;
  width: number;
  /** Rows whose winner differs from truth's: the inversions to see. */
  invertedRows: TimelineRowKey[];
}

export function timeOn(row: TimelineRowKey, attempt: TimelineAttempt): number {
  switch (row) {
    case 'server_clock':
      return attempt.server_time_ms;
    case 'ntp_corrected':
      return attempt.ntp_corrected_time_ms;
    case 'truth':
      return attempt.reference_time_ms;
  }
}

/** Attempts in the order a row's clock puts them; ties keep log order (the API lists attempts in log order). */
export function orderOn(row: TimelineRowKey, attempts: readonly TimelineAttempt[]): TimelineAttempt[] {
  return attempts
    .map((attempt, logIndex) => ({ attempt, logIndex }))
    .sort((a, b) => timeOn(row, a.attempt) - timeOn(row, b.attempt) || a.logIndex - b.logIndex)
    .map(({ attempt }) => attempt);
}

/** How far a row's time may be off, ms: null when unbounded (it has no width to draw or to fit). */
function spreadOn(row: TimelineRowKey, attempt: TimelineAttempt): number | null {
  const spread =
    row === 'ntp_corrected' ? attempt.error_bound_ms : row === 'truth' ? attempt.reference_uncertainty_ms : 0;
  return isUnboundedMs(spread) ? null : spread;
}

function winnerOn(row: TimelineRowKey, timeline: SeatTimeline, ordered: TimelineAttempt[]): string | null {
  // The backend's pick is authoritative (it may break ties differently); fall back to the earliest.
  return timeline.winners?.[row]?.attempt_id ?? ordered[0]?.attempt_id ?? null;
}

/** Round step (1, 2 or 5 × 10^n ms) giving about `count` ticks over `spanMs`. */
export function tickStepMs(spanMs: number, count = 6): number {
  const raw = Math.max(spanMs / count, 1e-3);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= raw);
  return step ?? 10 * magnitude;
}

/** Axis label with as many decimals as the tick step needs ("-0" printed as "+0"). */
function formatOffset(ms: number, stepMs: number): string {
  const decimals = stepMs >= 1 ? 0 : stepMs >= 0.1 ? 1 : 2;
  const text = ms.toFixed(decimals);
  return Number(text) === 0 ? `+${Math.abs(Number(text)).toFixed(decimals)} ms` : `${ms > 0 ? '+' : ''}${text} ms`;
}

/** Below this the axis would zoom into sub-millisecond noise; the lab's effects are milliseconds. */
const MIN_SPAN_MS = 10;

/**
 * Lays a seat's attempts on three rows sharing one time axis. A line joins
 * each attempt's marks from row to row: when two clocks order attempts
 * differently the lines cross, which is the inversion, visible without text.
 * Axis labels are relative to the earliest true time.
 */
export function layoutTimeline(timeline: SeatTimeline, geometry: TimelineGeometry = DEFAULT_GEOMETRY): TimelineLayout {
  const attempts = timeline.attempts;
  if (attempts.length === 0) {
    return { rows: [], links: [], ticks: [], width: geometry.width, height: 0, invertedRows: [] };
  }
  const colorOf = new Map(attempts.map((attempt, index) => [attempt.attempt_id, index]));
  // The axis fits every time and every bounded interval; an unbounded one (a day wide) would squash
  // every mark onto one pixel, so it is drawn across the whole plot instead.
  const extents = attempts.flatMap((attempt) =>
    TIMELINE_ROWS.flatMap((row) => {
      const time = timeOn(row.key, attempt);
      const spread = spreadOn(row.key, attempt) ?? 0;
      return [time - spread, time + spread];
    }),
  );
  const minTime = Math.min(...extents);
  const maxTime = Math.max(...extents);
  const padding = Math.max((maxTime - minTime) * 0.05, (MIN_SPAN_MS - (maxTime - minTime)) / 2, 0);
  const startMs = minTime - padding;
  const endMs = maxTime + padding;
  const plotWidth = geometry.width - geometry.labelWidth - geometry.rightPadding;
  const xOf = (timeMs: number) => geometry.labelWidth + ((timeMs - startMs) / (endMs - startMs)) * plotWidth;
  const pxPerMs = plotWidth / (endMs - startMs);

  const truthWinner = winnerOn('truth', timeline, orderOn('truth', attempts));
  const rows: TimelineRow[] = TIMELINE_ROWS.map((rowSpec, rowIndex) => {
    const y = geometry.top + rowIndex * geometry.rowGap;
    const ordered = orderOn(rowSpec.key, attempts);
    const winnerId = winnerOn(rowSpec.key, timeline, ordered);
    const marks = ordered.map((attempt, index) => {
      const spread = spreadOn(rowSpec.key, attempt);
      return {
        attemptId: attempt.attempt_id,
        customerName: attempt.customer_name,
        serverId: attempt.server_id,
        timeMs: timeOn(rowSpec.key, attempt),
        x: xOf(timeOn(rowSpec.key, attempt)),
        y,
        rank: index + 1,
        isWinner: attempt.attempt_id === winnerId,
        colorIndex: colorOf.get(attempt.attempt_id) ?? 0,
        errorBoundPx: (spread ?? 0) * pxPerMs,
        unbounded: spread === null,
      };
    });
    const inverted = rowSpec.key !== 'truth' && winnerId !== null && winnerId !== truthWinner;
    return { key: rowSpec.key, label: rowSpec.label, y, marks, winnerId, inverted };
  });

  const links = attempts.map((attempt) => ({
    attemptId: attempt.attempt_id,
    colorIndex: colorOf.get(attempt.attempt_id) ?? 0,
    points: rows.map((row) => ({ x: xOf(timeOn(row.key, attempt)), y: row.y })),
  }));

  const origin = attempts.length > 0 ? Math.min(...attempts.map((attempt) => attempt.reference_time_ms)) : 0;
  const step = tickStepMs(endMs - startMs);
  const ticks: { x: number; label: string }[] = [];
  for (let relative = Math.ceil((startMs - origin) / step) * step; origin + relative <= endMs; relative += step) {
    ticks.push({ x: xOf(origin + relative), label: formatOffset(relative, step) });
  }

  return {
    rows,
    links,
    ticks,
    width: geometry.width,
    height: geometry.top + (TIMELINE_ROWS.length - 1) * geometry.rowGap + 56,
    invertedRows: rows.filter((row) => row.inverted).map((row) => row.key),
  };
}
