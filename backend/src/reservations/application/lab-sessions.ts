/**
 * The live lab's sessions: the operator's reset appends LabSessionStarted to
 * the `lab-sessions` stream (its revision guards against two resets racing).
 * Every process follows the session from the log through the projection and
 * the settlement workflow, wherever the reset was made.
 */
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { WrongExpectedVersionError, type EventStore } from '../../event-store/event-store.port';
import { deterministicUuid } from '../../shared/deterministic-uuid';
import {
  decideLabReset,
  decodeLabSessionStarted,
  evolveLabSessions,
  initialLabSessions,
  LAB_SESSIONS_STREAM,
  sessionIdOf,
  type LabSessionsState,
} from '../domain/lab-session';
import { LIVE_AND_SESSION_ROWS } from '../projections/lab-session-sql';
import type { ReferenceTime } from './reference-time';
import { EVENT_STORE, READ_MODEL_DATA_SOURCE, REFERENCE_CLOCK } from './tokens';

export interface LabResetResult {
  readonly sessionId: string;
  readonly previousSessionId: string;
  readonly startedAtMs: number;
}

export interface LabSessionView {
  readonly sessionId: string;
  readonly startedAtMs: number | null;
  readonly endedAtMs: number | null;
  readonly attempts: number;
  readonly seatsTaken: number;
}

interface SessionRow {
  session_number: number;
  session_id: string;
  started_at_ms: number | null;
  ended_at_ms: number | null;
}

@Injectable()
export class LabSessions {
  /** The last session this process started: the read model may not have projected it yet. */
  private started: LabSessionsState = initialLabSessions();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(REFERENCE_CLOCK) private readonly clock: ReferenceTime,
  ) {}

  async reset(): Promise<LabResetResult> {
    const { state, expectedRevision } = await this.load();
    const [started] = decideLabReset({ type: 'ResetLab', nowMs: this.clock.nowMs() }, state);
    try {
      await this.store.append(
        LAB_SESSIONS_STREAM,
        [
          {
            id: deterministicUuid(LAB_SESSIONS_STREAM, String(started.data.sessionNumber)),
            type: started.type,
            data: { ...started.data },
          },
        ],
        { expectedRevision },
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new ConflictException('another reset started a new session at the same moment; try again');
      }
      throw error;
    }
    this.started = evolveLabSessions(this.started, started);
    return {
      sessionId: sessionIdOf(started.data.sessionNumber),
      previousSessionId: sessionIdOf(started.data.previousSessionNumber),
      startedAtMs: started.data.startedAtMs,
    };
  }

  /** Every session, oldest first, with what the read model holds of each (the current one under run_id ''). */
  async list(): Promise<LabSessionView[]> {
    const [sessions, attempts, taken] = await Promise.all([
      this.dataSource.query(
        `SELECT session_number, session_id, started_at_ms, ended_at_ms FROM rm_lab_sessions ORDER BY session_number`,
      ) as Promise<SessionRow[]>,
      this.countsBySession(
        `SELECT run_id, count(*)::int AS n FROM rm_attempts WHERE (${LIVE_AND_SESSION_ROWS}) GROUP BY run_id`,
      ),
      this.countsBySession(
        `SELECT run_id, count(*)::int AS n FROM rm_seats WHERE holder_attempt_id IS NOT NULL AND (${LIVE_AND_SESSION_ROWS}) GROUP BY run_id`,
      ),
    ]);
    const current = Math.max(this.started.current, ...sessions.map((row) => row.session_number));
    const rows = [...sessions];
    if (!rows.some((row) => row.session_number === current)) {
      rows.push({
        session_number: current,
        session_id: sessionIdOf(current),
        started_at_ms: this.started.startedAtMs,
        ended_at_ms: null,
      });
    }
    return rows.map((row) => {
      const key = row.session_number === current ? '' : row.session_id;
      return {
        sessionId: row.session_id,
        startedAtMs: row.started_at_ms,
        endedAtMs: row.session_number === current ? null : row.ended_at_ms,
        attempts: attempts.get(key) ?? 0,
        seatsTaken: taken.get(key) ?? 0,
      };
    });
  }

  /** The sessions as the log has them, and the revision a reset must find. */
  private async load() {
    const recorded = await this.store.readStream(LAB_SESSIONS_STREAM);
    let state = initialLabSessions();
    for (const event of recorded) {
      const started = decodeLabSessionStarted(event.type, event.data);
      if (started) state = evolveLabSessions(state, started);
    }
    const last = recorded[recorded.length - 1];
    return { state, expectedRevision: last ? last.revision : ('no_stream' as const) };
  }

  private async countsBySession(sql: string): Promise<Map<string, number>> {
    const rows: { run_id: string; n: number }[] = await this.dataSource.query(sql);
    return new Map(rows.map((row) => [row.run_id, row.n]));
  }
}
