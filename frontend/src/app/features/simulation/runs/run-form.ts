// The seeded-run form's rules, mirroring the backend's run parser so most
// mistakes are caught before a request; the API's own messages still land
// beside the field they name.
import type { StartScenarioRunRequest } from '../../../core/api/api-types';

export const RUN_FIELDS = ['scenario', 'seed', 'seats', 'attempts_per_seat', 'spread_ms'] as const;
export type RunField = (typeof RUN_FIELDS)[number];

/** The form as typed: every value is text until parsed. */
export type RunFormText = Record<RunField, string>;

export const DEFAULT_RUN_FORM: RunFormText = {
  scenario: 'major_drift',
  seed: '42',
  seats: '100',
  attempts_per_seat: '5',
  spread_ms: '1000',
};

const MAX_SEED = 2 ** 32 - 1;
const MAX_SEATS = 100_000;
const MAX_ATTEMPTS_PER_SEAT = 1000;
const MAX_TOTAL_ATTEMPTS = 200_000;

function integerIn(field: RunField, text: string, min: number, max: number): number | string {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value)) return `${field} must be an integer`;
  if (value < min || value > max) return `${field} must be between ${min} and ${max}`;
  return value;
}

export type ParsedRunForm =
  { ok: true; request: StartScenarioRunRequest } | { ok: false; fieldErrors: Partial<Record<RunField, string>> };

export function parseRunForm(form: RunFormText): ParsedRunForm {
  const fieldErrors: Partial<Record<RunField, string>> = {};
  if (form.scenario.trim() === '') fieldErrors.scenario = 'scenario must be chosen';
  const seed = integerIn('seed', form.seed, 0, MAX_SEED);
  const seats = integerIn('seats', form.seats, 1, MAX_SEATS);
  const attempts = integerIn('attempts_per_seat', form.attempts_per_seat, 1, MAX_ATTEMPTS_PER_SEAT);
  const spread = Number(form.spread_ms.trim());
  if (typeof seed === 'string') fieldErrors.seed = seed;
  if (typeof seats === 'string') fieldErrors.seats = seats;
  if (typeof attempts === 'string') fieldErrors.attempts_per_seat = attempts;
  if (form.spread_ms.trim() === '' || !Number.isFinite(spread) || spread < 0)
    fieldErrors.spread_ms = 'spread_ms must be a number of at least 0';
  if (typeof seats === 'number' && typeof attempts === 'number' && seats * attempts > MAX_TOTAL_ATTEMPTS)
    fieldErrors.attempts_per_seat = `seats × attempts_per_seat must be at most ${MAX_TOTAL_ATTEMPTS}`;
  if (
    Object.keys(fieldErrors).length > 0 ||
    typeof seed !== 'number' ||
    typeof seats !== 'number' ||
    typeof attempts !== 'number'
  )
    return { ok: false, fieldErrors };
  return {
    ok: true,
    request: {
      // The select offers only names from GET /api/simulation/scenarios, and the
      // backend answers 400 naming `scenario` for any other, so the text is not re-checked here.
      scenario: form.scenario as StartScenarioRunRequest['scenario'],
      seed,
      seats,
      attempts_per_seat: attempts,
      spread_ms: spread,
    },
  };
}
