import type { ClockChange, ServerClockConfig } from '../../core/api/api-types';

/** The editable numbers: what PUT /api/simulation/offsets/:server_id accepts besides never_syncs. */
export type NumericClockField = Exclude<keyof ClockChange, 'never_syncs'>;

export const NUMERIC_CLOCK_FIELDS: readonly { key: NumericClockField; label: string; unit: string }[] = [
  { key: 'offset_ms', label: 'Offset', unit: 'ms' },
  { key: 'drift_ppm', label: 'Drift', unit: 'ppm' },
  { key: 'jitter_ms', label: 'Jitter', unit: 'ms' },
  { key: 'outbound_delay_ms', label: 'Outbound', unit: 'ms' },
  { key: 'inbound_delay_ms', label: 'Inbound', unit: 'ms' },
];

/** Text as typed in the row's inputs, keyed by field. */
export type ClockDraft = Partial<Record<NumericClockField, string>> & { never_syncs?: boolean };

/**
 * The PUT body for a row: only fields that changed, numbers parsed. Returns an
 * error message instead when a field is not a number (or a delay is negative).
 */
export function clockChangeOf(current: ServerClockConfig, draft: ClockDraft): ClockChange | string {
  const change: ClockChange = {};
  for (const { key, label } of NUMERIC_CLOCK_FIELDS) {
    const text = draft[key];
    if (text === undefined || text.trim() === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value)) return `${label} must be a number`;
    if (key !== 'offset_ms' && key !== 'drift_ppm' && value < 0) return `${label} must not be negative`;
    if (value !== current[key]) change[key] = value;
  }
  if (draft.never_syncs !== undefined && draft.never_syncs !== current.never_syncs)
    change.never_syncs = draft.never_syncs;
  return change;
}
