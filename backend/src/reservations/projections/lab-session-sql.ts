/**
 * A reset, in the read model: the live rows (run_id '') become the ended
 * session's rows (run_id 'session-<n>'), so the current session starts with
 * every seat free and the earlier one is read like a run.
 */
import type { EntityManager } from 'typeorm';
import { sessionIdOf, type LabSessionStarted } from '../domain/lab-session';
import { conflictIdPrefixOf } from './seat-batch';

/** Rows of the live lab, current session ('') and every ended one ('session-<n>'). */
export const LIVE_AND_SESSION_ROWS = `run_id = '' OR run_id ~ '^session-[0-9]+$'`;

/** The live session as of the last projected batch (1 before any reset). */
export const loadCurrentSession = async (manager: EntityManager): Promise<number> => {
  const rows: { current: number | null }[] = await manager.query(
    `SELECT max(session_number) AS current FROM rm_lab_sessions`,
  );
  return rows[0]?.current ?? 1;
};

export const startLabSession = async (
  manager: EntityManager,
  event: LabSessionStarted,
  position: bigint,
  liveWindowMs: number,
): Promise<void> => {
  const { sessionNumber, previousSessionNumber, startedAtMs } = event.data;
  const ended = sessionIdOf(previousSessionNumber);
  // Session 1 has no start event: it began with its first attempt.
  await manager.query(
    `INSERT INTO rm_lab_sessions (session_number, session_id, started_at_ms, started_position)
     SELECT $1, $2, (SELECT min(reference_time_ms) FROM rm_attempts WHERE run_id = ''), 0
     ON CONFLICT (session_number) DO NOTHING`,
    [previousSessionNumber, ended],
  );
  await manager.query(`UPDATE rm_lab_sessions SET ended_at_ms = $2 WHERE session_number = $1`, [
    previousSessionNumber,
    startedAtMs,
  ]);
  await manager.query(
    `INSERT INTO rm_lab_sessions (session_number, session_id, started_at_ms, started_position)
     VALUES ($1, $2, $3, $4) ON CONFLICT (session_number) DO NOTHING`,
    [sessionNumber, sessionIdOf(sessionNumber), startedAtMs, position.toString()],
  );
  // Decisions of the ended session that reach the log later are read with its window.
  await manager.query(
    `INSERT INTO rm_runs (run_id, conflict_window_ms, started_position) VALUES ($1, $2, 0)
     ON CONFLICT (run_id) DO NOTHING`,
    [ended, liveWindowMs],
  );
  await manager.query(`UPDATE rm_seats SET run_id = $1 WHERE run_id = ''`, [ended]);
  await manager.query(`UPDATE rm_attempts SET run_id = $1 WHERE run_id = ''`, [ended]);
  await manager.query(`UPDATE rm_conflicts SET run_id = $1, id = $2 || seat_id::text WHERE run_id = ''`, [
    ended,
    conflictIdPrefixOf(ended),
  ]);
};
