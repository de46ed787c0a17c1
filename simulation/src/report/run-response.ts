/** The backend's answer for a seeded run (GET /api/simulation/runs/:id), as far as the CLI reads it. */
import type { InversionWitness, LabReport, Strategy } from './lab-report';

export interface RunResponse {
  readonly id: string;
  readonly status: 'queued' | 'running' | 'completed' | 'failed' | 'interrupted';
  readonly phase: string;
  readonly progress: number;
  readonly total_attempts: number;
  readonly appended_attempts: number;
  readonly error: string | null;
  readonly append_ms: number | null;
  readonly projection_ms: number | null;
  readonly parameters: Record<string, unknown>;
  readonly clocks: ReadonlyArray<Record<string, unknown>>;
  readonly report: {
    readonly attempts: number;
    readonly contended_seats: number;
    readonly settled_seats: number;
    readonly conflicts: { contention: number; inversion: number; ambiguous: number };
    readonly accuracy: Record<Strategy, number>;
    readonly authority: { readonly seats: number; readonly correct: number; readonly accuracy: number };
    readonly wrong_holders: Record<string, number>;
    readonly servers: ReadonlyArray<{ readonly server_id: string; readonly bound_violations: number }>;
    readonly worst_inversion: InversionWitness | null;
    readonly read_model_matches_run: boolean;
  } | null;
}

export const labReportOfRun = (run: RunResponse, title: string): LabReport => {
  if (!run.report) throw new Error(`run ${run.id} has no report (status ${run.status})`);
  return {
    title,
    run_id: run.id,
    attempts: run.report.attempts,
    contended_seats: run.report.contended_seats,
    conflicts: run.report.conflicts,
    accuracy: run.report.accuracy,
    authority: run.report.authority,
    wrong_holders: run.report.wrong_holders,
    bound_violations: run.report.servers.reduce((sum, server) => sum + server.bound_violations, 0),
    worst_inversion: run.report.worst_inversion,
    details: {
      parameters: run.parameters,
      clocks: run.clocks,
      settled_seats: run.report.settled_seats,
      read_model_matches_run: run.report.read_model_matches_run,
      append_ms: run.append_ms,
      projection_ms: run.projection_ms,
    },
  };
};
