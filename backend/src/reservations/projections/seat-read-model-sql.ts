/**
 * The set-based SQL of the seat projection: one statement loads the touched
 * seats (with their incremental analysis), a few small ones what the batch
 * must know (attempts already applied, run windows, suspect sync epochs), one
 * the attempts of the seats recomputed whole (those settling now), and one
 * statement per table writes a whole batch. Row sets travel as one jsonb
 * parameter read with jsonb_to_recordset, so a batch costs the same handful
 * of round trips whatever its size (each round trip through pglite-socket
 * costs ~0.3–1 ms; per-row statements were the projection's whole cost).
 * The big row sets (attempts, seats, conflicts) travel as one binary array
 * per column instead (database/binary-array.ts): parsing their JSON was most
 * of a batch's cost on PGlite's WASM backend.
 */
import type { EntityManager } from 'typeorm';
import {
  textArrayLiteral,
  unnestRows,
  type BinaryColumn,
  type BinaryElementType,
  type BinaryValue,
} from '../../database/binary-array';
import type { AttemptRow } from './attempt-row';
import {
  conflictIdOf,
  seatKeyOf,
  type ConflictRow,
  type LoadedSeat,
  type OutcomeUpdate,
  type SeatKey,
} from './seat-batch';
import type { SeatRow } from './seat-row';

const ATTEMPT_COLUMNS = `attempt_id uuid, run_id text, seat_id integer, customer_name text, server_id text,
  local_decision text, outcome text, outcome_reason text, server_time_ms double precision,
  reference_time_ms double precision, estimated_offset_ms double precision, error_bound_ms double precision,
  ntp_corrected_time_ms double precision, hlc text, log_position bigint, recorded_at timestamptz,
  sync_epoch integer, revoked boolean, out_of_bound boolean, bound_violated boolean,
  reference_uncertainty_ms double precision`;

const SEAT_COLUMNS = `run_id text, seat_id integer, attempts_count integer, first_attempt_reference_ms double precision,
  holder_attempt_id uuid, holder_customer_name text, holder_server_id text, decided_by text, assigned_position bigint,
  winner_server_clock uuid, winner_ntp_corrected uuid, winner_log_order uuid, winner_hlc uuid, winner_truth uuid,
  conflict_kinds text[], updated_position bigint, window_ms integer, closes_at_ms double precision,
  considered_up_to bigint, competing_count integer, candidates_count integer, authoritative_attempt_id uuid,
  authoritative_decided_by text, holder_verdict text, violated_attempts integer, analysis text`;

const CONFLICT_COLUMNS = `id text, run_id text, seat_id integer, kinds text[], server_ids text[], attempts_count integer,
  witness text, first_detected_position bigint, updated_position bigint`;

/** Column names of a `name type, …` list, for INSERT and SELECT lists. */
const namesOf = (columns: string): string[] => columns.split(',').map((column) => column.trim().split(/\s+/)[0]!);

const updateAll = (columns: string, key: readonly string[]): string =>
  namesOf(columns)
    .filter((name) => !key.includes(name))
    .map((name) => `${name} = EXCLUDED.${name}`)
    .join(', ');

const asJson = (rows: readonly object[]): string => JSON.stringify(rows);

const BINARY_TYPES: Record<string, { type: BinaryElementType; cast?: string }> = {
  uuid: { type: 'uuid' },
  text: { type: 'text' },
  integer: { type: 'int4' },
  bigint: { type: 'int8' },
  'double precision': { type: 'float8' },
  timestamptz: { type: 'timestamptz' },
  boolean: { type: 'bool' },
  'text[]': { type: 'text', cast: 'text[]' },
};

/** The binary columns of a `name type, …` list; rows are read by column name. */
const binaryColumnsOf = <Row extends object>(columns: string): BinaryColumn<Row>[] =>
  columns.split(',').map((column) => {
    const [name, ...type] = column.trim().split(/\s+/);
    const binary = BINARY_TYPES[type.join(' ')];
    if (!name || !binary) throw new Error(`no binary form for column "${column.trim()}"`);
    const read = (row: Row): unknown => (row as Record<string, unknown>)[name];
    const value =
      binary.cast === 'text[]'
        ? (row: Row) => textArrayLiteral((read(row) as string[] | null | undefined) ?? null)
        : (row: Row) => read(row) as BinaryValue;
    return { name, ...binary, value };
  });

const ATTEMPT_BINARY = binaryColumnsOf<AttemptRow>(ATTEMPT_COLUMNS);
const SEAT_BINARY = binaryColumnsOf<SeatRow>(SEAT_COLUMNS);
const CONFLICT_BINARY = binaryColumnsOf<ConflictRow>(CONFLICT_COLUMNS);

/** INSERT … SELECT of `rows` into `table`, sent as binary arrays; `tail` is the ON CONFLICT clause. */
const insertRows = async <Row extends object>(
  manager: EntityManager,
  table: string,
  columns: readonly BinaryColumn<Row>[],
  rows: readonly Row[],
  tail: string,
): Promise<void> => {
  const { from, select, parameters } = unnestRows(columns, rows);
  await manager.query(
    `INSERT INTO ${table} (${columns.map((column) => column.name).join(', ')}) SELECT ${select} FROM ${from} ${tail}`,
    parameters,
  );
};

const keysParameter = (keys: readonly SeatKey[]): string =>
  asJson(
    keys.map(({ runId, seatId }) => ({ run_id: runId, seat_id: seatId, conflict_id: conflictIdOf(runId, seatId) })),
  );

type LoadedSeatRow = SeatRow & { key_run_id: string; key_seat_id: number; previous_conflict_kinds: string[] | null };

/** The touched seats as the read model holds them now: row (or none) and conflict kinds. */
export const loadSeats = async (manager: EntityManager, keys: readonly SeatKey[]): Promise<Map<string, LoadedSeat>> => {
  const seatRows: LoadedSeatRow[] = await manager.query(
    `SELECT k.run_id AS key_run_id, k.seat_id AS key_seat_id, s.*, c.kinds AS previous_conflict_kinds
       FROM jsonb_to_recordset($1::jsonb) AS k(run_id text, seat_id integer, conflict_id text)
       LEFT JOIN rm_seats s ON s.run_id = k.run_id AND s.seat_id = k.seat_id
       LEFT JOIN rm_conflicts c ON c.id = k.conflict_id`,
    [keysParameter(keys)],
  );
  const loaded = new Map<string, LoadedSeat>();
  for (const { key_run_id, key_seat_id, previous_conflict_kinds, ...row } of seatRows) {
    loaded.set(seatKeyOf(key_run_id, key_seat_id), {
      // Every rm_seats row has updated_position: NULL means the LEFT JOIN found no row.
      row: row.updated_position === null ? null : row,
      previousConflictKinds: previous_conflict_kinds ?? [],
    });
  }
  return loaded;
};

/** Which of these attempts the read model holds already. */
export const loadStoredAttemptIds = async (manager: EntityManager, ids: readonly string[]): Promise<Set<string>> => {
  if (ids.length === 0) return new Set();
  const rows: { attempt_id: string }[] = await manager.query(
    `SELECT attempt_id FROM rm_attempts WHERE attempt_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Set(rows.map((row) => row.attempt_id));
};

/** Conflict windows of scenario runs started before this batch. */
export const loadRunWindows = async (
  manager: EntityManager,
  runIds: readonly string[],
): Promise<Map<string, number>> => {
  if (runIds.length === 0) return new Map();
  const rows: { run_id: string; conflict_window_ms: number }[] = await manager.query(
    `SELECT run_id, conflict_window_ms FROM rm_runs WHERE run_id = ANY($1::text[])`,
    [runIds],
  );
  return new Map(rows.map((row) => [row.run_id, row.conflict_window_ms]));
};

/** Sync epochs detected steps put out of bound, for the given (run, server) pairs, as run␀server␀epoch. */
export const loadSuspectEpochs = async (
  manager: EntityManager,
  pairs: readonly { runId: string; serverId: string }[],
): Promise<Set<string>> => {
  if (pairs.length === 0) return new Set();
  const rows: { run_id: string; server_id: string; suspect_sync_epoch: number }[] = await manager.query(
    `SELECT DISTINCT s.run_id, s.server_id, s.suspect_sync_epoch
       FROM jsonb_to_recordset($1::jsonb) AS k(run_id text, server_id text)
       JOIN rm_clock_steps s ON s.run_id = k.run_id AND s.server_id = k.server_id`,
    [asJson(pairs.map(({ runId, serverId }) => ({ run_id: runId, server_id: serverId })))],
  );
  return new Set(rows.map((row) => `${row.run_id}\u0000${row.server_id}\u0000${row.suspect_sync_epoch}`));
};

/** Every stored attempt of the given seats, in log order, by seat. */
export const loadAllAttemptsOf = async (
  manager: EntityManager,
  keys: readonly SeatKey[],
): Promise<Map<string, AttemptRow[]>> => {
  if (keys.length === 0) return new Map();
  const rows: AttemptRow[] = await manager.query(
    `SELECT a.* FROM jsonb_to_recordset($1::jsonb) AS k(run_id text, seat_id integer)
       JOIN rm_attempts a ON a.run_id = k.run_id AND a.seat_id = k.seat_id
      ORDER BY a.log_position`,
    [keysParameter(keys)],
  );
  const bySeat = new Map<string, AttemptRow[]>();
  for (const row of rows) {
    const key = seatKeyOf(row.run_id, row.seat_id);
    const list = bySeat.get(key);
    if (list) list.push(row);
    else bySeat.set(key, [row]);
  }
  return bySeat;
};

export const insertAttempts = async (manager: EntityManager, attempts: readonly AttemptRow[]): Promise<void> => {
  if (attempts.length === 0) return;
  await insertRows(manager, 'rm_attempts', ATTEMPT_BINARY, attempts, 'ON CONFLICT (attempt_id) DO NOTHING');
};

/** Outcome changes, by attempt id (a seat that settled). */
export const updateAttemptOutcomes = async (
  manager: EntityManager,
  outcomes: readonly OutcomeUpdate[],
): Promise<void> => {
  if (outcomes.length === 0) return;
  await manager.query(
    `UPDATE rm_attempts AS a SET outcome = r.outcome, outcome_reason = r.outcome_reason
       FROM jsonb_to_recordset($1::jsonb) AS r(attempt_id uuid, outcome text, outcome_reason text)
      WHERE a.attempt_id = r.attempt_id`,
    [asJson(outcomes)],
  );
};

export const markRevoked = async (manager: EntityManager, attemptIds: readonly string[]): Promise<void> => {
  if (attemptIds.length === 0) return;
  await manager.query(`UPDATE rm_attempts SET revoked = true WHERE attempt_id = ANY($1::uuid[])`, [attemptIds]);
};

export interface ClockStepRow {
  position: string;
  run_id: string;
  server_id: string;
  suspect_sync_epoch: number;
  jump_ms: number;
  allowed_ms: number;
  reference_time_ms: number;
}

/** Records detected steps and marks the attempts stamped in the suspect epochs out of bound. */
export const recordClockSteps = async (manager: EntityManager, steps: readonly ClockStepRow[]): Promise<void> => {
  if (steps.length === 0) return;
  const parameter = asJson(steps);
  await manager.query(
    `INSERT INTO rm_clock_steps (position, run_id, server_id, suspect_sync_epoch, jump_ms, allowed_ms, reference_time_ms)
     SELECT position, run_id, server_id, suspect_sync_epoch, jump_ms, allowed_ms, reference_time_ms
       FROM jsonb_to_recordset($1::jsonb) AS r(position bigint, run_id text, server_id text, suspect_sync_epoch integer,
            jump_ms double precision, allowed_ms double precision, reference_time_ms double precision)
     ON CONFLICT (position) DO NOTHING`,
    [parameter],
  );
  await manager.query(
    `UPDATE rm_attempts AS a SET out_of_bound = true
       FROM jsonb_to_recordset($1::jsonb) AS r(run_id text, server_id text, suspect_sync_epoch integer)
      WHERE a.run_id = r.run_id AND a.server_id = r.server_id AND a.sync_epoch = r.suspect_sync_epoch`,
    [parameter],
  );
};

/** A scenario run as rm_runs holds it. */
export interface RunRow {
  readonly run_id: string;
  readonly conflict_window_ms: number;
  readonly started_position: string;
}

export const upsertRuns = async (manager: EntityManager, runs: readonly RunRow[]): Promise<void> => {
  if (runs.length === 0) return;
  await manager.query(
    `INSERT INTO rm_runs (run_id, conflict_window_ms, started_position)
     SELECT run_id, conflict_window_ms, started_position
       FROM jsonb_to_recordset($1::jsonb) AS r(run_id text, conflict_window_ms integer, started_position bigint)
     ON CONFLICT (run_id) DO NOTHING`,
    [asJson(runs)],
  );
};

/** Writes every touched seat's full row (computed in memory from the row loaded before the batch). */
export const upsertSeats = async (manager: EntityManager, seats: readonly SeatRow[]): Promise<void> => {
  if (seats.length === 0) return;
  await insertRows(
    manager,
    'rm_seats',
    SEAT_BINARY,
    seats,
    `ON CONFLICT (run_id, seat_id) DO UPDATE SET ${updateAll(SEAT_COLUMNS, ['run_id', 'seat_id'])}`,
  );
};

/** first_detected_position is written once, on first detection, and kept afterwards. */
export const upsertConflicts = async (manager: EntityManager, conflicts: readonly ConflictRow[]): Promise<void> => {
  if (conflicts.length === 0) return;
  await insertRows(
    manager,
    'rm_conflicts',
    CONFLICT_BINARY,
    conflicts,
    `ON CONFLICT (id) DO UPDATE SET ${updateAll(CONFLICT_COLUMNS, ['id', 'run_id', 'seat_id', 'first_detected_position'])}`,
  );
};

export const deleteConflicts = async (manager: EntityManager, ids: readonly string[]): Promise<void> => {
  if (ids.length === 0) return;
  await manager.query(`DELETE FROM rm_conflicts WHERE id = ANY($1::text[])`, [ids]);
};
