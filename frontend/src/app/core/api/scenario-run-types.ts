// Seeded scenario runs (/api/simulation/runs). The spec lists these paths and
// the scenario names, but not the run's response body, and it types the
// numeric request fields as `object` (the DTO declares them `unknown` so the
// run parser can word every error itself). Until the backend publishes those
// schemas, the parts the console reads are written here after
// backend/src/simulation-runs/http/run.responses.ts. When /docs-json gains
// them, alias the generated schemas in api-types.ts and delete this file.
import type { OrderingStrategy } from './api-types';

export interface StartScenarioRunRequest {
  /** A name from GET /api/simulation/scenarios; the backend refuses unknown ones. */
  scenario: string;
  /** Integer 0..2^32−1: the same seed and parameters give the same events. */
  seed: number;
  seats: number;
  attempts_per_seat: number;
  /** A seat's attempts arrive within this many ms of reference time. */
  spread_ms: number;
  run_id?: string;
}

export type ScenarioRunStatus = 'running' | 'completed' | 'failed' | 'interrupted';
export type ScenarioRunPhase = 'queued' | 'appending' | 'projecting' | 'done';

export type PerStrategy = Record<OrderingStrategy, number>;

export interface ScenarioRunReport {
  attempts: number;
  seats_with_attempts: number;
  settled_seats: number;
  contended_seats: number;
  conflicts: { contention: number; inversion: number; ambiguous: number };
  /** Share of contended seats each strategy gave to the truly first customer (0..1). */
  accuracy: PerStrategy;
  correct_seats: PerStrategy;
  wrong_seats: PerStrategy;
  wrong_seats_per_10k_attempts: PerStrategy;
  inversions_per_10k_attempts: number;
  /** True when the read model's counts equal the run's own analysis. */
  read_model_matches_run: boolean;
}

export interface ScenarioRun {
  id: string;
  run_id: string;
  status: ScenarioRunStatus;
  phase: ScenarioRunPhase;
  /** 0..1 over both phases (appending, then projecting). */
  progress: number;
  total_attempts: number;
  appended_attempts: number;
  started_at: string;
  finished_at: string | null;
  error: string | null;
  parameters: {
    scenario: string;
    seed: number;
    seats: number;
    attempts_per_seat: number;
    spread_ms: number;
    servers: number;
  };
  report: ScenarioRunReport | null;
}

export interface ScenarioRunPage {
  items: ScenarioRun[];
  total: number;
}
