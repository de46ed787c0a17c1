/**
 * The set-based SQL of the seat projection: one statement loads the touched
 * seats (with their incremental analysis), one the stored attempts the
 * batch's events name, one (only when an NTP-corrected winner changed) the
 * attempts in those seats' corrected-time windows, and one statement per
 * table writes a whole batch. A seat's full attempt list is read only for a
 * seat projected before rm_seats.analysis existed. Row sets travel as one jsonb parameter read with jsonb_to_recordset,
 * so a batch costs the same handful of round trips whatever its size (each
 * round trip through pglite-socket costs ~0.3–1 ms; per-row statements were
 * the projection's whole cost).
 */
import type { EntityManager } from 'typeorm';
import type { AttemptRow } from './attempt-row';
import {
  conflictIdOf,
  seatKeyOf,
  type ConflictRow,
  type LoadedSeat,
  type SeatKey,
  type StoredAttemptsLost,
  type WindowRequest,
} from './seat-batch';
import type { SeatRow } from './seat-row';

const ATTEMPT_COLUMNS = `attempt_id uuid, run_id text, seat_id integer, customer_name text, server_id text,
  local_decision text, outcome text, outcome_reason text, server_time_ms double precision,
  reference_time_ms double precision, estimated_offset_ms double precision, error_bound_ms double precision,
  ntp_corrected_time_ms double precision, hlc text, log_position bigint, recorded_at timestamptz`;

const SEAT_COLUMNS = `run_id text, seat_id integer, attempts_count integer, first_attempt_reference_ms double precision,
  holder_attempt_id uuid, holder_customer_name text, holder_server_id text, decided_by text, assigned_position bigint,
  winner_server_clock uuid, winner_ntp_corrected uuid, winner_log_order uuid, winner_hlc uuid, winner_truth uuid,
  conflict_kinds text[], updated_position bigint, analysis jsonb`;

const CONFLICT_COLUMNS = `id text, run_id text, seat_id integer, kinds text[], server_ids text[], attempts_count integer,
  witness jsonb, first_detected_position bigint, updated_position bigint`;

/** Column names of a `name type, …` list, for INSERT and SELECT lists. */
const namesOf = (columns: string): string[] => columns.split(',').map((column) => column.trim().split(/\s+/)[0]!);

const updateAll = (columns: string, key: readonly string[]): string =>
  namesOf(columns)
    .filter((name) => !key.includes(name))
    .map((name) => `${name} = EXCLUDED.${name}`)
    .join(', ');

const asJson = (rows: readonly object[]): string => JSON.stringify(rows);

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

const groupBySeat = (attempts: readonly AttemptRow[]): Map<string, AttemptRow[]> => {
  const bySeat = new Map<string, AttemptRow[]>();
  for (const attempt of attempts) {
    const key = seatKeyOf(attempt.run_id, attempt.seat_id);
    const list = bySeat.get(key);
    if (list) list.push(attempt);
    else bySeat.set(key, [attempt]);
  }
  return bySeat;
};

/** Stored attempts by id (one index probe each). */
export const loadAttemptsById = async (manager: EntityManager, ids: readonly string[]): Promise<AttemptRow[]> =>
  ids.length === 0 ? [] : manager.query(`SELECT * FROM rm_attempts WHERE attempt_id = ANY($1::uuid[])`, [ids]);

/** Every attempt of the given seats, in log order, by seat (seats projected before incremental analysis). */
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
  return groupBySeat(rows);
};

/** Stored attempts below each seat's corrected-time bound (index rm_attempts_seat_corrected), by seat. */
export const loadCorrectedTimeWindows = async (
  manager: EntityManager,
  requests: readonly WindowRequest[],
): Promise<Map<string, AttemptRow[]>> => {
  if (requests.length === 0) return new Map();
  const rows: AttemptRow[] = await manager.query(
    `SELECT a.* FROM jsonb_to_recordset($1::jsonb) AS k(run_id text, seat_id integer, below double precision)
       JOIN rm_attempts a
         ON a.run_id = k.run_id AND a.seat_id = k.seat_id AND a.ntp_corrected_time_ms < k.below`,
    [asJson(requests.map(({ runId, seatId, below }) => ({ run_id: runId, seat_id: seatId, below })))],
  );
  return groupBySeat(rows);
};

/** An assignment's losers among the stored attempts the batch did not load; a reason they had is kept. */
export const markStoredAttemptsLost = async (
  manager: EntityManager,
  losses: readonly StoredAttemptsLost[],
): Promise<void> => {
  if (losses.length === 0) return;
  await manager.query(
    `UPDATE rm_attempts AS a SET outcome = 'lost', outcome_reason = COALESCE(a.outcome_reason, r.outcome_reason)
       FROM jsonb_to_recordset($1::jsonb) AS r(run_id text, seat_id integer, outcome_reason text, except_ids uuid[])
      WHERE a.run_id = r.run_id AND a.seat_id = r.seat_id AND a.attempt_id <> ALL(r.except_ids)`,
    [asJson(losses)],
  );
};

export const insertAttempts = async (manager: EntityManager, attempts: readonly AttemptRow[]): Promise<void> => {
  if (attempts.length === 0) return;
  const names = namesOf(ATTEMPT_COLUMNS).join(', ');
  await manager.query(
    `INSERT INTO rm_attempts (${names})
     SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${ATTEMPT_COLUMNS})
     ON CONFLICT (attempt_id) DO NOTHING`,
    [asJson(attempts.map((attempt) => ({ ...attempt, recorded_at: attempt.recorded_at.toISOString() })))],
  );
};

/** Outcome changes, by attempt id (assignments, revocations). */
export const updateAttemptOutcomes = async (
  manager: EntityManager,
  outcomes: readonly { attempt_id: string; outcome: string; outcome_reason: string | null }[],
): Promise<void> => {
  if (outcomes.length === 0) return;
  await manager.query(
    `UPDATE rm_attempts AS a SET outcome = r.outcome, outcome_reason = r.outcome_reason
       FROM jsonb_to_recordset($1::jsonb) AS r(attempt_id uuid, outcome text, outcome_reason text)
      WHERE a.attempt_id = r.attempt_id`,
    [asJson(outcomes)],
  );
};

/** Writes every touched seat's full row (computed in memory from the row loaded before the batch). */
export const upsertSeats = async (manager: EntityManager, seats: readonly SeatRow[]): Promise<void> => {
  if (seats.length === 0) return;
  const names = namesOf(SEAT_COLUMNS).join(', ');
  await manager.query(
    `INSERT INTO rm_seats (${names})
     SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${SEAT_COLUMNS})
     ON CONFLICT (run_id, seat_id) DO UPDATE SET ${updateAll(SEAT_COLUMNS, ['run_id', 'seat_id'])}`,
    [asJson(seats)],
  );
};

/** first_detected_position is written once, on first detection, and kept afterwards. */
export const upsertConflicts = async (manager: EntityManager, conflicts: readonly ConflictRow[]): Promise<void> => {
  if (conflicts.length === 0) return;
  const names = namesOf(CONFLICT_COLUMNS).join(', ');
  await manager.query(
    `INSERT INTO rm_conflicts (${names})
     SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${CONFLICT_COLUMNS})
     ON CONFLICT (id) DO UPDATE SET ${updateAll(CONFLICT_COLUMNS, ['id', 'run_id', 'seat_id', 'first_detected_position'])}`,
    [asJson(conflicts)],
  );
};
