/**
 * Deterministic names for a run and its events: the run id is a hash of the
 * normalised parameters, every event id a hash of the run id and the event's
 * place in the run. Re-running the same parameters yields the same ids, so the
 * log of a re-run can be compared byte for byte (and an append re-sent after
 * a crash is idempotent).
 */
// SHA-256 is pure computation (no I/O, no clock, no randomness): the one node:* import a domain file may use.
// eslint-disable-next-line no-restricted-imports
import { createHash } from 'node:crypto';
import type { RunParameters } from './run-parameters';

/** Object keys sorted at every level: the same parameters always hash the same. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/** Bumped whenever the generator changes what a given seed produces. */
export const GENERATOR_VERSION = 3;

/** Why a run another generator version started is not finished by this one. */
export const otherGeneratorMessage = (runId: string, startedBy: number): string =>
  `run ${runId} was started by generator version ${startedBy} and this build generates version ` +
  `${GENERATOR_VERSION}: finishing it would mix two generators' events; post its parameters again ` +
  'to run them anew (a new run id)';

export const RUN_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,47}$/;

/** The run id these parameters get; `generator` names the id an older generator version gave them. */
export const runIdFor = (parameters: RunParameters, generator: number = GENERATOR_VERSION): string =>
  `r${createHash('sha256')
    .update(canonicalJson({ generator, ...parameters }))
    .digest('hex')
    .slice(0, 15)}`;

export { deterministicUuid } from '../../shared/deterministic-uuid';

/** Stream layout of a run (seat streams come from the reservation domain's seatStreamId). */
export const runStreamId = (runId: string): string => `run-${runId}`;
export const runChunkStreamId = (runId: string, chunk: number): string => `run-${runId}-attempts-${chunk}`;
/** Where a run records the clock steps its servers' syncs detected. */
export const runClockStreamId = (runId: string, serverId: string): string => `run-${runId}-clock-${serverId}`;
