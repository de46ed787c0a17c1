/**
 * The whole run as a deterministic sequence of appends (run-simulation.ts),
 * framed by ScenarioRunStarted and ScenarioRunCompleted. The application
 * layer only executes the plan, so the same parameters always append the
 * same events.
 *
 * A plan is cheap to make: its steps are a generator, produced as they are
 * appended, and ScenarioRunCompleted is made from what the generator returns.
 * `materialisePlan` holds every step at once (tests and small runs only).
 */
import type { ClockConfig } from '../../clocks/domain';
import { runClocks } from './run-clocks';
import type { ScenarioRunCompleted, ScenarioRunStarted } from './run-events';
import { deterministicUuid, GENERATOR_VERSION } from './run-identity';
import { totalAttempts, type RunParameters } from './run-parameters';
import { simulateRun, type PlannedEvent, type RunOutcome, type RunStep } from './run-simulation';
import type { RunSummary } from './run-summary';

export interface RunPlan {
  readonly runId: string;
  readonly parameters: RunParameters;
  readonly clocks: Readonly<Record<string, ClockConfig>>;
  readonly started: PlannedEvent<ScenarioRunStarted>;
  /** A fresh pass over the run's appends, in log order, each time it is called. */
  steps(): Generator<RunStep, RunOutcome, void>;
  completedOf(outcome: RunOutcome): PlannedEvent<ScenarioRunCompleted>;
}

export const planRun = (runId: string, parameters: RunParameters): RunPlan => {
  const clocks = runClocks(parameters);
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
  return {
    runId,
    parameters,
    clocks,
    started,
    steps: () => simulateRun(runId, parameters, clocks),
    completedOf: (outcome) => ({
      id: deterministicUuid(runId, 'completed'),
      event: {
        type: 'ScenarioRunCompleted',
        data: {
          runId,
          attempts: outcome.attempts,
          attemptChunks: outcome.attemptChunks,
          seatsSettled: outcome.seatsSettled,
          revoked: outcome.revoked,
          summary: outcome.summary,
        },
      },
    }),
  };
};

export interface MaterialisedPlan {
  readonly runId: string;
  readonly parameters: RunParameters;
  readonly clocks: Readonly<Record<string, ClockConfig>>;
  readonly started: PlannedEvent<ScenarioRunStarted>;
  readonly steps: readonly RunStep[];
  readonly completed: PlannedEvent<ScenarioRunCompleted>;
  readonly summary: RunSummary;
}

/** Every step of the plan in one array (memory grows with the run: tests and small runs only). */
export const materialisePlan = (runId: string, parameters: RunParameters): MaterialisedPlan => {
  const plan = planRun(runId, parameters);
  const simulation = plan.steps();
  const steps: RunStep[] = [];
  let next = simulation.next();
  while (!next.done) {
    steps.push(next.value);
    next = simulation.next();
  }
  const completed = plan.completedOf(next.value);
  return { ...plan, steps, completed, summary: next.value.summary };
};
