/** A scenario run as the service tracks it while (and after) it executes. */
import type { ClockConfig } from '../../clocks/domain';
import type { StatsResponse } from '../../reservations/http/conflict.responses';
import type { RunParameters, RunSummary } from '../domain';

/**
 * queued: waiting its turn (in the log's run queue); running: this process is appending or projecting it;
 * interrupted: started, not completed, and not executing in this process (resume it, or re-post it).
 */
export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'interrupted';
/** appending: the plan goes into the log; projecting: waiting for the read model to catch up. */
export type RunPhase = 'queued' | 'appending' | 'projecting' | 'done';

export interface RunJob {
  readonly runId: string;
  readonly parameters: RunParameters;
  /** The generator version that started it (its ScenarioRunStarted), null while it has not started. */
  generatorVersion: number | null;
  readonly clocks: Readonly<Record<string, ClockConfig>>;
  status: RunStatus;
  phase: RunPhase;
  readonly totalAttempts: number;
  appendedAttempts: number;
  /** 0..1 over both phases (appending counts for half, projecting for the other half). */
  progress: number;
  startedAt: Date;
  finishedAt: Date | null;
  appendMs: number | null;
  projectionMs: number | null;
  error: string | null;
  /** What the run computed from its own attempts (also stored in ScenarioRunCompleted). */
  summary: RunSummary | null;
  /** The read model's counts for the run, once projected. */
  stats: StatsResponse | null;
}
