/** The events that frame a scenario run in the log, so it can be re-run (or re-projected) from the log alone. */
import type { ClockConfig } from '../../clocks/domain';
import type { RunParameters } from './run-parameters';
import type { RunSummary } from './run-summary';

export interface ScenarioRunStarted {
  readonly type: 'ScenarioRunStarted';
  readonly data: RunParameters & {
    readonly runId: string;
    readonly generatorVersion: number;
    readonly totalAttempts: number;
    /** The clocks the scenario and overrides resolved to: what each server was configured with. */
    readonly clocks: Readonly<Record<string, ClockConfig>>;
  };
}

export interface ScenarioRunCompleted {
  readonly type: 'ScenarioRunCompleted';
  readonly data: {
    readonly runId: string;
    readonly attempts: number;
    readonly attemptChunks: number;
    readonly seatsSettled: number;
    readonly revoked: number;
    /** Computed by the run itself; the read model must agree (a test holds it to that). */
    readonly summary: RunSummary;
  };
}

export type ScenarioRunEvent = ScenarioRunStarted | ScenarioRunCompleted;

export const SCENARIO_RUN_STARTED = 'ScenarioRunStarted';
export const SCENARIO_RUN_COMPLETED = 'ScenarioRunCompleted';

/**
 * The queue of runs, in the log: one stream every node reads (a run request is
 * accepted once its ScenarioRunRequested is appended; it leaves the queue with
 * ScenarioRunFinished). What is requested and not finished is resumed when a
 * process starts, so a queued or half-appended run survives a restart.
 */
export const RUN_QUEUE_STREAM = 'simulation-run-queue';

export interface ScenarioRunRequested {
  readonly type: 'ScenarioRunRequested';
  readonly data: { readonly runId: string; readonly parameters: RunParameters };
}

export interface ScenarioRunFinished {
  readonly type: 'ScenarioRunFinished';
  readonly data: {
    readonly runId: string;
    readonly outcome: 'completed' | 'failed';
    /** Why it failed (null when completed); a failed run can be resumed by hand. */
    readonly reason: string | null;
  };
}

export type RunQueueEvent = ScenarioRunRequested | ScenarioRunFinished;

export const SCENARIO_RUN_REQUESTED = 'ScenarioRunRequested';
export const SCENARIO_RUN_FINISHED = 'ScenarioRunFinished';
