/** Seeded runs on the backend's virtual clock: start one, follow it to its report; replays likewise. */
import type { ApiClient } from '../cli/api-client';
import { ApiError } from '../cli/cli-errors';
import type { RunResponse } from '../report/run-response';

export interface ClockOverride {
  offset_ms?: number;
  drift_ppm?: number;
  jitter_ms?: number;
  outbound_delay_ms?: number;
  inbound_delay_ms?: number;
  never_syncs?: boolean;
}

export interface RunRequest {
  readonly scenario: string;
  readonly seed: number;
  readonly seats: number;
  readonly attempts_per_seat: number;
  readonly spread_ms: number;
  readonly servers?: number;
  readonly seat_interval_ms?: number;
  readonly overrides?: Record<string, ClockOverride>;
  readonly run_id?: string;
}

export interface OverrideFlags {
  readonly offset?: Record<string, number>;
  readonly drift?: Record<string, number>;
  readonly jitter?: Record<string, number>;
  readonly delay?: Record<string, [number, number]>;
  readonly neverSyncs?: readonly string[];
}

/** Turns the repeatable --offset/--drift/--jitter/--delay/--never-syncs flags into the API's overrides object. */
export const overridesFrom = (flags: OverrideFlags): Record<string, ClockOverride> => {
  const overrides: Record<string, ClockOverride> = {};
  const entry = (serverId: string): ClockOverride => (overrides[serverId] ??= {});
  for (const [serverId, value] of Object.entries(flags.offset ?? {})) entry(serverId).offset_ms = value;
  for (const [serverId, value] of Object.entries(flags.drift ?? {})) entry(serverId).drift_ppm = value;
  for (const [serverId, value] of Object.entries(flags.jitter ?? {})) entry(serverId).jitter_ms = value;
  for (const [serverId, [out, back]] of Object.entries(flags.delay ?? {})) {
    entry(serverId).outbound_delay_ms = out;
    entry(serverId).inbound_delay_ms = back;
  }
  for (const serverId of flags.neverSyncs ?? []) entry(serverId).never_syncs = true;
  return overrides;
};

/** Spreads a total skew evenly over the servers, from −total/2 to +total/2 (first behind, last ahead). */
export const spreadOverServers = (total: number, servers: number): number[] =>
  Array.from({ length: servers }, (_, index) => (servers === 1 ? 0 : -total / 2 + (total * index) / (servers - 1)));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Progress {
  start(total: number): void;
  update(done: number): void;
  stop(): void;
}

export const noProgress: Progress = { start: () => undefined, update: () => undefined, stop: () => undefined };

export const followRun = async (
  api: ApiClient,
  runId: string,
  progress: Progress = noProgress,
): Promise<RunResponse> => {
  progress.start(100);
  try {
    for (;;) {
      const run = await api.get<RunResponse>(`/api/simulation/runs/${encodeURIComponent(runId)}`);
      progress.update(Math.round(run.progress * 100));
      if (run.status === 'completed') return run;
      if (run.status !== 'running' && run.status !== 'queued')
        throw new ApiError(`run ${runId} ${run.status}: ${run.error ?? 'no detail'}`);
      await sleep(200);
    }
  } finally {
    progress.stop();
  }
};

export const executeRun = async (
  api: ApiClient,
  request: RunRequest,
  progress: Progress = noProgress,
): Promise<RunResponse> => {
  const started = await api.post<RunResponse>('/api/simulation/runs', request);
  return followRun(api, started.id, progress);
};

interface ReplayJob {
  readonly id: string;
  readonly status: 'running' | 'completed' | 'failed';
  readonly processed_events: number;
  readonly progress: number;
  readonly error: string | null;
}

export const replayRun = async (api: ApiClient, runId: string, progress: Progress = noProgress): Promise<ReplayJob> => {
  let job = await api.post<ReplayJob>('/api/replay', { run_id: runId });
  progress.start(100);
  try {
    while (job.status === 'running') {
      await sleep(200);
      job = await api.get<ReplayJob>(`/api/replay/${job.id}`);
      progress.update(Math.round(job.progress * 100));
    }
  } finally {
    progress.stop();
  }
  if (job.status === 'failed') throw new ApiError(`replay of run ${runId} failed: ${job.error ?? 'no detail'}`);
  return job;
};
