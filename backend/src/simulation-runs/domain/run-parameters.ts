/**
 * The parameters of a seeded scenario run, validated and normalised. Every
 * default is written into the normalised form, so the run id (a hash of it)
 * and the ScenarioRunStarted event say exactly what was run.
 */
import { isScenarioName, SCENARIO_NAMES, type ScenarioName } from '../../clocks/domain';
import { FIRST_BURST_DELAY_MS } from './simulated-booking-server';

/** What-if changes to one server's clock (or to all servers, under the key "*"). */
export interface ClockOverride {
  readonly offsetMs?: number;
  readonly driftPpm?: number;
  readonly jitterMs?: number;
  readonly outboundDelayMs?: number;
  readonly inboundDelayMs?: number;
  readonly neverSyncs?: boolean;
  /** The booking server's path to the event store: base delay, and jitter on top (seeded). */
  readonly logDelayMs?: number;
  readonly logDelayJitterMs?: number;
}

export interface RunParameters {
  readonly scenario: ScenarioName;
  readonly seed: number;
  readonly seats: number;
  readonly attemptsPerSeat: number;
  /** Every attempt on a seat arrives within this long after the seat's burst starts. */
  readonly spreadMs: number;
  readonly serverIds: readonly string[];
  /** Reference time between the starts of two consecutive seats' bursts (lets drift accumulate). */
  readonly seatIntervalMs: number;
  /** A seat settles this long (reference time) after its first attempt. */
  readonly conflictWindowMs: number;
  /** How often each simulated server runs an NTP exchange (reference time). */
  readonly syncIntervalMs: number;
  /** Virtual reference epoch of the run (never the host clock: the run must replay identically). */
  readonly startReferenceMs: number;
  /** Keyed by server id, or "*" for every server; applied over the scenario's clocks. */
  readonly overrides: Readonly<Record<string, ClockOverride>>;
}

/** 2025-01-01T00:00:00Z: a fixed virtual epoch, so runs do not depend on when they are started. */
export const DEFAULT_START_REFERENCE_MS = Date.UTC(2025, 0, 1);
/** The hard ceiling; the deployment's cap (RUN_MAX_ATTEMPTS) is at most this. */
export const MAX_RUN_ATTEMPTS = 200_000;
export const DEFAULT_RUN_MAX_ATTEMPTS = 100_000;
/** NTP exchanges the run simulates (servers × simulated time ÷ sync interval): CPU, not memory, but unbounded otherwise. */
export const MAX_SYNC_EXCHANGES = 1_000_000;
/**
 * Attempts whose seats are open at once: the planner holds a seat from its first arrival until
 * it settles, so this (not the run's size) is what its memory grows with (~3.4 KB an attempt).
 */
export const MAX_OVERLAPPING_ATTEMPTS = 20_000;
export const MAX_SEATS_PER_RUN = 100_000;
export const MAX_ATTEMPTS_PER_SEAT = 1_000;
export const MAX_SPREAD_MS = 600_000;
export const MAX_SERVERS = 50;
export const ALL_SERVERS = '*';

/** The input as it comes from the API (snake_case, unknown types). */
export interface RunRequest {
  readonly scenario?: unknown;
  readonly seed?: unknown;
  readonly seats?: unknown;
  readonly attempts_per_seat?: unknown;
  readonly spread_ms?: unknown;
  readonly servers?: unknown;
  readonly seat_interval_ms?: unknown;
  readonly conflict_window_ms?: unknown;
  readonly sync_interval_ms?: unknown;
  readonly overrides?: unknown;
}

export class RunParametersError extends Error {
  override readonly name = 'RunParametersError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

const OVERRIDE_FIELDS: ReadonlyArray<{
  readonly wire: string;
  readonly key: keyof ClockOverride;
  readonly min: number;
  readonly max: number;
}> = [
  { wire: 'offset_ms', key: 'offsetMs', min: -3_600_000, max: 3_600_000 },
  { wire: 'drift_ppm', key: 'driftPpm', min: -100_000, max: 100_000 },
  { wire: 'jitter_ms', key: 'jitterMs', min: 0, max: 60_000 },
  { wire: 'outbound_delay_ms', key: 'outboundDelayMs', min: 0, max: 60_000 },
  { wire: 'inbound_delay_ms', key: 'inboundDelayMs', min: 0, max: 60_000 },
  { wire: 'log_delay_ms', key: 'logDelayMs', min: 0, max: 60_000 },
  { wire: 'log_delay_jitter_ms', key: 'logDelayJitterMs', min: 0, max: 60_000 },
];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class Checker {
  readonly problems: string[] = [];

  integer(name: string, value: unknown, min: number, max: number, fallback?: number): number {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.problems.push(`${name} must be an integer`);
      return fallback ?? min;
    }
    if (value < min || value > max) {
      this.problems.push(`${name} must be between ${min} and ${max}`);
      return fallback ?? min;
    }
    return value;
  }

  number(name: string, value: unknown, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.problems.push(`${name} must be a number`);
      return undefined;
    }
    if (value < min || value > max) {
      this.problems.push(`${name} must be between ${min} and ${max}`);
      return undefined;
    }
    return value;
  }
}

const serverIdsOf = (count: number): string[] => Array.from({ length: count }, (_, index) => `server-${index + 1}`);

const parseOverrides = (check: Checker, raw: unknown, serverIds: readonly string[]): Record<string, ClockOverride> => {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) {
    check.problems.push('overrides must be an object keyed by server id (or "*")');
    return {};
  }
  const overrides: Record<string, ClockOverride> = {};
  // Sorted keys: the normalised form (and so the run id) does not depend on the client's key order.
  for (const serverId of Object.keys(raw).sort()) {
    const entry = raw[serverId];
    const path = `overrides.${serverId}`;
    if (serverId !== ALL_SERVERS && !serverIds.includes(serverId)) {
      check.problems.push(`${path}: unknown server (known: ${serverIds.join(', ')}, or "*")`);
      continue;
    }
    if (!isRecord(entry)) {
      check.problems.push(`${path} must be an object`);
      continue;
    }
    const known = new Set([...OVERRIDE_FIELDS.map((field) => field.wire), 'never_syncs']);
    for (const field of Object.keys(entry)) {
      if (!known.has(field)) check.problems.push(`${path}.${field} is not an accepted field`);
    }
    const override: Record<string, number | boolean> = {};
    for (const field of OVERRIDE_FIELDS) {
      const value = check.number(`${path}.${field.wire}`, entry[field.wire], field.min, field.max);
      if (value !== undefined) override[field.key] = value;
    }
    if (entry['never_syncs'] !== undefined) {
      if (typeof entry['never_syncs'] !== 'boolean') check.problems.push(`${path}.never_syncs must be a boolean`);
      else override['neverSyncs'] = entry['never_syncs'];
    }
    overrides[serverId] = override as ClockOverride;
  }
  return overrides;
};

export interface ParameterDefaults {
  readonly conflictWindowMs: number;
  readonly servers: number;
  /** Attempts a run may have (RUN_MAX_ATTEMPTS); default DEFAULT_RUN_MAX_ATTEMPTS. */
  readonly maxAttempts?: number;
}

/** Validates a request; throws RunParametersError listing every problem, each naming its field. */
export const parseRunParameters = (request: RunRequest, defaults: ParameterDefaults): RunParameters => {
  const check = new Checker();
  let scenario: ScenarioName = 'none';
  if (typeof request.scenario !== 'string' || !isScenarioName(request.scenario)) {
    check.problems.push(`scenario must be one of ${SCENARIO_NAMES.join(', ')}`);
  } else {
    scenario = request.scenario;
  }
  const seed = check.integer('seed', request.seed, 0, 0xffffffff);
  const seats = check.integer('seats', request.seats, 1, MAX_SEATS_PER_RUN);
  const attemptsPerSeat = check.integer('attempts_per_seat', request.attempts_per_seat, 1, MAX_ATTEMPTS_PER_SEAT);
  const maxAttempts = Math.min(defaults.maxAttempts ?? DEFAULT_RUN_MAX_ATTEMPTS, MAX_RUN_ATTEMPTS);
  if (check.problems.length === 0 && seats * attemptsPerSeat > maxAttempts) {
    check.problems.push(
      `seats × attempts_per_seat is ${seats * attemptsPerSeat}; a run may have at most ${maxAttempts} attempts (RUN_MAX_ATTEMPTS)`,
    );
  }
  const spreadMs = check.integer('spread_ms', request.spread_ms, 0, MAX_SPREAD_MS);
  const servers = check.integer('servers', request.servers, 1, MAX_SERVERS, defaults.servers);
  const seatIntervalMs = check.integer('seat_interval_ms', request.seat_interval_ms, 0, 3_600_000, 1000);
  const conflictWindowMs = check.integer(
    'conflict_window_ms',
    request.conflict_window_ms,
    0,
    600_000,
    defaults.conflictWindowMs,
  );
  const syncIntervalMs = check.integer('sync_interval_ms', request.sync_interval_ms, 1000, 86_400_000, 60_000);
  const simulatedMs = FIRST_BURST_DELAY_MS + Math.max(0, seats - 1) * seatIntervalMs + spreadMs;
  const syncExchanges = Math.ceil((servers * simulatedMs) / syncIntervalMs);
  if (check.problems.length === 0 && syncExchanges > MAX_SYNC_EXCHANGES) {
    check.problems.push(
      `servers × simulated time ÷ sync_interval_ms is ${syncExchanges} NTP exchanges; at most ${MAX_SYNC_EXCHANGES} (raise sync_interval_ms or lower seat_interval_ms)`,
    );
  }
  const serverIds = serverIdsOf(servers);
  const overrides = parseOverrides(check, request.overrides, serverIds);
  if (check.problems.length === 0) {
    const logDelayMs = Math.max(
      0,
      ...Object.values(overrides).map((override) => (override.logDelayMs ?? 0) + (override.logDelayJitterMs ?? 0)),
    );
    // A seat stays open from its burst's start until its window (and the path to the log) has passed.
    const openMs = spreadMs + conflictWindowMs + logDelayMs + 1000;
    const seatsOpen = seatIntervalMs === 0 ? seats : Math.min(seats, Math.floor(openMs / seatIntervalMs) + 1);
    if (seatsOpen * attemptsPerSeat > MAX_OVERLAPPING_ATTEMPTS) {
      check.problems.push(
        `about ${seatsOpen * attemptsPerSeat} attempts would be open at once (${seatsOpen} seats whose bursts and ` +
          `windows overlap × attempts_per_seat); at most ${MAX_OVERLAPPING_ATTEMPTS} (raise seat_interval_ms or lower spread_ms)`,
      );
    }
  }
  if (check.problems.length > 0) throw new RunParametersError(check.problems);
  return {
    scenario,
    seed,
    seats,
    attemptsPerSeat,
    spreadMs,
    serverIds,
    seatIntervalMs,
    conflictWindowMs,
    syncIntervalMs,
    startReferenceMs: DEFAULT_START_REFERENCE_MS,
    overrides,
  };
};

export const totalAttempts = (parameters: RunParameters): number => parameters.seats * parameters.attemptsPerSeat;
