/**
 * The live lab's sessions: the operator's reset appends LabSessionStarted to
 * the `lab-sessions` stream (its revision guards against two resets racing),
 * and every process follows that stream from the log, so booking servers read
 * the current session's seat streams wherever the reset was made.
 */
import {
  ConflictException,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { DataSource } from 'typeorm';
import { WrongExpectedVersionError, type EventStore } from '../../event-store/event-store.port';
import type { ProjectionRunner } from '../../read-model/projection-runner';
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
import type { ReferenceTime } from './reference-time';
import { EVENT_STORE, PROJECTION_RUNNER, READ_MODEL_DATA_SOURCE, REFERENCE_CLOCK } from './tokens';

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
export class LabSessions implements OnApplicationBootstrap, OnApplicationShutdown {
  private state: LabSessionsState = initialLabSessions();
  private subscription: Subscription | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(REFERENCE_CLOCK) private readonly clock: ReferenceTime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Resets made through another process reach this one through the log.
    this.subscription = this.runner.projected$.subscribe((batch) => {
      for (const recorded of batch.recorded) this.follow(recorded.type, recorded.data);
    });
    await this.load();
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  /** The session whose seat streams the booking servers read now. */
  get current(): number {
    return this.state.current;
  }

  async reset(): Promise<LabResetResult> {
    const expectedRevision = await this.load();
    const [started] = decideLabReset({ type: 'ResetLab', nowMs: this.clock.nowMs() }, this.state);
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
    this.state = evolveLabSessions(this.state, started);
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
      this.countsBySession(`SELECT run_id, count(*)::int AS n FROM rm_attempts WHERE ${SESSION_ROWS} GROUP BY run_id`),
      this.countsBySession(
        `SELECT run_id, count(*)::int AS n FROM rm_seats WHERE holder_attempt_id IS NOT NULL AND ${SESSION_ROWS} GROUP BY run_id`,
      ),
    ]);
    const current = Math.max(this.state.current, ...sessions.map((row) => row.session_number));
    const rows = [...sessions];
    if (!rows.some((row) => row.session_number === current)) {
      rows.push({
        session_number: current,
        session_id: sessionIdOf(current),
        started_at_ms: this.state.startedAtMs,
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

  /** Reads the sessions stream; returns the revision a reset must find. */
  private async load() {
    const recorded = await this.store.readStream(LAB_SESSIONS_STREAM);
    for (const event of recorded) this.follow(event.type, event.data);
    const last = recorded[recorded.length - 1];
    return last ? last.revision : ('no_stream' as const);
  }

  private follow(type: string, data: Record<string, unknown>): void {
    const started = decodeLabSessionStarted(type, data);
    if (started) this.state = evolveLabSessions(this.state, started);
  }

  private async countsBySession(sql: string): Promise<Map<string, number>> {
    const rows: { run_id: string; n: number }[] = await this.dataSource.query(sql);
    return new Map(rows.map((row) => [row.run_id, row.n]));
  }
}

/** The live session's rows and every ended session's. */
const SESSION_ROWS = `(run_id = '' OR run_id ~ '^session-[0-9]+$')`;
