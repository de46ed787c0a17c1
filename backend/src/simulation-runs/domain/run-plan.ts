/**
 * The whole run as a deterministic list of appends (run-simulation.ts),
 * framed by ScenarioRunStarted and ScenarioRunCompleted. The application
 * layer only executes the plan, so the same parameters always append the
 * same events.
 */
import type { ClockConfig } from '../../clocks/domain';
import { runClocks } from './run-clocks';
import type { ScenarioRunCompleted, ScenarioRunStarted } from './run-events';
import { deterministicUuid, GENERATOR_VERSION } from './run-identity';
import { totalAttempts, type RunParameters } from './run-parameters';
import { simulateRun, type PlannedEvent, type RunStep } from './run-simulation';
import { summariseRun, type RunSummary } from './run-summary';

export interface RunPlan {
  readonly runId: string;
  readonly parameters: RunParameters;
  readonly clocks: Readonly<Record<string, ClockConfig>>;
  readonly started: PlannedEvent<ScenarioRunStarted>;
  readonly steps: readonly RunStep[];
  readonly completed: PlannedEvent<ScenarioRunCompleted>;
  readonly summary: RunSummary;
}

export const planRun = (runId: string, parameters: RunParameters): RunPlan => {
  const clocks = runClocks(parameters);
  const simulation = simulateRun(runId, parameters, clocks);
  const steps: RunStep[] = [];
  let next = simulation.next();
  while (!next.done) {
    steps.push(next.value);
    next = simulation.next();
  }
  const outcome = next.value;
  const summary = summariseRun(outcome, parameters.conflictWindowMs, parameters.serverIds);
  const started: PlannedEvent<ScenarioRunStarted> = {
    id: deterministicUuid(runId, 'started'),
    event: {
      type: 'ScenarioRunStarted',
      data: {
        ...parameters,
        runId,
        generatorVersion: GENERATOR_VERSION,
        totalAttempts: totalAttempts(parameters),
        clocks,
      },
    },
  };
  const completed: PlannedEvent<ScenarioRunCompleted> = {
    id: deterministicUuid(runId, 'completed'),
    event: {
      type: 'ScenarioRunCompleted',
      data: {
        runId,
        attempts: outcome.attempts,
        attemptChunks: outcome.attemptChunks,
        seatsSettled: outcome.seatsSettled,
        revoked: outcome.revoked,
        summary,
      },
    },
  };
  return { runId, parameters, clocks, started, steps, completed, summary };
};
