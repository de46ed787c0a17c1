/**
 * Sessions of the live experiment. A reset starts a new session: every seat is
 * free again, and what the earlier session recorded stays in the log, readable
 * as the run `session-<n>`. Session 1 is the log before any reset; session n
 * (n ≥ 2) keeps its seat decisions in streams of its own, so the seat streams
 * of an earlier session never make a seat of the current one look taken.
 * An attempt belongs to the session that is current at its log position.
 */
export const LAB_SESSIONS_STREAM = 'lab-sessions';
export const LAB_SESSION_STARTED = 'LabSessionStarted';

export interface LabSessionStarted {
  readonly type: typeof LAB_SESSION_STARTED;
  readonly data: {
    readonly sessionNumber: number;
    readonly previousSessionNumber: number;
    /** The lab's reference time when the operator reset it, epoch ms. */
    readonly startedAtMs: number;
  };
}

export interface LabSessionsState {
  readonly current: number;
  readonly startedAtMs: number | null;
}

export const initialLabSessions = (): LabSessionsState => ({ current: 1, startedAtMs: null });

export const evolveLabSessions = (state: LabSessionsState, event: LabSessionStarted): LabSessionsState =>
  event.data.sessionNumber > state.current
    ? { current: event.data.sessionNumber, startedAtMs: event.data.startedAtMs }
    : state;

export interface ResetLab {
  readonly type: 'ResetLab';
  readonly nowMs: number;
}

export const decideLabReset = (command: ResetLab, state: LabSessionsState): [LabSessionStarted] => [
  {
    type: LAB_SESSION_STARTED,
    data: { sessionNumber: state.current + 1, previousSessionNumber: state.current, startedAtMs: command.nowMs },
  },
];

/** The run id under which a session's rows are read (`session-3`). */
export const sessionIdOf = (sessionNumber: number): string => `session-${sessionNumber}`;

const SESSION_SEAT_STREAM = /^session-([1-9][0-9]*)-seat-[0-9]+$/;
const FIRST_SESSION_SEAT_STREAM = /^seat-[0-9]+$/;

/** The live session whose seat stream this is; null for other streams (runs, attempts). */
export const sessionOfSeatStream = (streamId: string): number | null => {
  if (FIRST_SESSION_SEAT_STREAM.test(streamId)) return 1;
  const match = SESSION_SEAT_STREAM.exec(streamId);
  return match ? Number(match[1]) : null;
};

export const decodeLabSessionStarted = (type: string, data: Record<string, unknown>): LabSessionStarted | null => {
  if (type !== LAB_SESSION_STARTED) return null;
  const { sessionNumber, previousSessionNumber, startedAtMs } = data;
  if (typeof sessionNumber !== 'number' || typeof previousSessionNumber !== 'number') return null;
  if (typeof startedAtMs !== 'number') return null;
  return { type: LAB_SESSION_STARTED, data: { sessionNumber, previousSessionNumber, startedAtMs } };
};
