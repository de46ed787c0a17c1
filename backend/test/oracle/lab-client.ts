/**
 * The oracle's only way into the lab: plain HTTP against the documented API (docs/api.md).
 * Every request goes through `request`, so adding a header (for instance the operator's
 * bearer token once mutating routes need one) is one change here.
 */

export interface ClockSettings {
  offset_ms?: number;
  drift_ppm?: number;
  jitter_ms?: number;
  outbound_delay_ms?: number;
  inbound_delay_ms?: number;
  never_syncs?: boolean;
}

export interface ClockStatus {
  server_id: string;
  server_time_ms: number;
  reference_time_ms: number;
  true_offset_ms: number;
  configured: ClockSettings & { server_id: string };
  estimated_offset_ms: number | null;
  error_bound_ms: number | null;
  is_synchronized: boolean;
  sync_state: string;
  last_sync_at: string | null;
}

export interface SyncResult {
  server_id: string;
  offset_ms: number;
  delay_ms: number;
  error_bound_ms: number;
  estimated_offset_before_ms: number | null;
  estimated_offset_after_ms: number;
  true_offset_ms: number;
  step_detected_ms: number | null;
  synced_at: string;
}

export interface HistoryEntry {
  server_id: string;
  kind: 'configured' | 'synchronized';
  at: string;
  log_position: string;
  estimated_offset_ms: number | null;
  error_bound_ms: number | null;
}

export interface Attempt {
  id: string;
  seat_id: number;
  customer_name: string;
  server_id: string;
  status: 'confirmed' | 'rejected';
  outcome: 'pending' | 'won' | 'lost';
  outcome_reason: string | null;
  server_time: string;
  reference_time: string;
  ntp_corrected_time: string;
  error_bound_ms: number;
  log_position: string;
}

export type Role = 'candidate' | 'competing' | 'after_window' | 'after_settlement';
export type Strategy = 'server_clock' | 'ntp_corrected' | 'log_order' | 'hlc' | 'truth';
export const STRATEGIES: readonly Strategy[] = ['server_clock', 'ntp_corrected', 'log_order', 'hlc', 'truth'];

export interface TimelineAttempt {
  attempt_id: string;
  customer_name: string;
  server_id: string;
  local_decision: 'confirmed' | 'rejected';
  server_time_ms: number;
  estimated_offset_ms: number | null;
  error_bound_ms: number;
  ntp_corrected_time_ms: number;
  hlc: string;
  reference_time_ms: number;
  /** How far the truth may itself be off (real clocks only; 0 for the simulated ones these checks run). */
  reference_uncertainty_ms: number;
  log_position: string;
  sync_epoch: number;
  outcome: 'pending' | 'won' | 'lost';
  outcome_reason: string | null;
  role: Role | null;
  earliest_ms: number | null;
  latest_ms: number | null;
  revoked: boolean;
  out_of_bound: boolean;
  bound_violated: boolean;
}

export interface Pick {
  attempt_id: string;
  customer_name: string;
  server_id?: string;
  decided_by?: string;
}

export interface Timeline {
  seat_id: number;
  attempts: TimelineAttempt[];
  orderings: Partial<Record<Strategy, string[]>>;
  winners: Partial<Record<Strategy, Pick | null>>;
  authoritative: (Pick & { decided_by: string }) | null;
  candidates: string[];
  window: { window_ms: number; anchor_attempt_id: string | null; closes_at_ms: number | null } | null;
  kinds: string[];
  holder_attempt_id: string | null;
  considered_up_to: string | null;
  holder_verdict: string | null;
  explanation: string | null;
}

export interface Seat {
  id: number;
  is_available: boolean;
  status: 'free' | 'pending' | 'taken';
  reservation: { id: string; customer_name: string; server_id: string; decided_by: string } | null;
  attempts_count: number;
  conflict_kinds: string[];
}

export interface Conflict {
  id: string;
  run_id: string;
  seat_id: number;
  kinds: string[];
  server_ids: string[];
  attempts_count: number;
  witness: {
    candidates: string[];
    authoritative: { attempt_id: string; decided_by: string } | null;
    winners: Partial<Record<Strategy, { attempt_id: string } | null>>;
  };
}

export interface Stats {
  attempts: number;
  seats_with_attempts: number;
  settled_seats: number;
  contended_seats: number;
  conflicts: { contention: number; inversion: number; ambiguous: number };
  accuracy: Partial<Record<Strategy, number | null>>;
  correct_seats: Partial<Record<Strategy, number>>;
  authority: { seats: number; correct: number; accuracy: number | null };
  wrong_holders: { ambiguous: number; bound_violation: number; late_arrival: number; unexplained: number };
  servers: {
    server_id: string;
    attempts: number;
    bound_violations: number;
    out_of_bound: number;
    steps_detected: number;
  }[];
}

export interface RunState {
  id: string;
  status: string;
  phase: string;
  progress: number;
  parameters: Record<string, unknown>;
  report: (Stats & { read_model_matches_run: boolean }) | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export class LabError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} → ${status}: ${body}`);
  }
}

export class LabClient {
  constructor(
    private readonly baseUrl: string,
    /** The operator's bearer token: the routes that change the experiment need it. */
    private readonly operatorHeaders: Record<string, string> = {},
  ) {}

  /**
   * The one place every request is built. Read-your-writes is asked for on every call, so a
   * reservation's answer comes once the read model holds it, as the checks assume.
   */
  private headers(body: boolean): Record<string, string> {
    return {
      ...this.operatorHeaders,
      prefer: 'read-your-writes',
      ...(body ? { 'content-type': 'application/json' } : {}),
    };
  }

  private async request<T>(method: string, path: string, body?: unknown, expected: number[] = [200]): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: this.headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new LabError(response.status, text, `${method} ${path}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  setClock(serverId: string, settings: ClockSettings): Promise<ClockSettings> {
    return this.request('PUT', `/api/simulation/offsets/${serverId}`, settings);
  }

  clocks(): Promise<(ClockSettings & { server_id: string })[]> {
    return this.request('GET', '/api/simulation/offsets');
  }

  applyScenario(name: string, seed: number, sync: boolean): Promise<unknown> {
    return this.request(
      'POST',
      `/api/simulation/scenarios/${name}/apply?seed=${seed}&sync=${sync}`,
      undefined,
      [200, 201, 202],
    );
  }

  sync(serverId: string): Promise<SyncResult> {
    return this.request('POST', `/api/time/sync?server_id=${serverId}`, undefined, [200, 201]);
  }

  status(serverId: string): Promise<ClockStatus> {
    return this.request('GET', `/api/time/status?server_id=${serverId}`);
  }

  history(serverId: string): Promise<HistoryEntry[]> {
    return this.request('GET', `/api/time/history?server_id=${serverId}&limit=1000`);
  }

  reserve(seatId: number, customerName: string, serverId: string): Promise<Attempt> {
    return this.request(
      'POST',
      '/api/reservations',
      { seat_id: seatId, customer_name: customerName, server_id: serverId },
      [201],
    );
  }

  reservation(id: string): Promise<Attempt> {
    return this.request('GET', `/api/reservations/${id}`);
  }

  async reservations(query: string): Promise<Attempt[]> {
    const items: Attempt[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await this.request<Page<Attempt>>('GET', `/api/reservations?${query}&limit=100&offset=${offset}`);
      items.push(...page.items);
      if (items.length >= page.total || page.items.length === 0) return items;
    }
  }

  seat(seatId: number): Promise<Seat> {
    return this.request('GET', `/api/seats/${seatId}`);
  }

  timeline(seatId: number, runId: string | null = null): Promise<Timeline> {
    return this.request('GET', `/api/seats/${seatId}/timeline${runId === null ? '' : `?run_id=${runId}`}`);
  }

  async conflicts(runId: string | null = null): Promise<Conflict[]> {
    const items: Conflict[] = [];
    const run = runId === null ? '' : `&run_id=${runId}`;
    for (let offset = 0; ; offset += 100) {
      const page = await this.request<Page<Conflict>>('GET', `/api/conflicts?limit=100&offset=${offset}${run}`);
      items.push(...page.items);
      if (items.length >= page.total || page.items.length === 0) return items;
    }
  }

  stats(runId: string | null = null): Promise<Stats> {
    return this.request('GET', `/api/stats${runId === null ? '' : `?run_id=${runId}`}`);
  }

  startRun(parameters: Record<string, unknown>): Promise<{ id: string; status: string }> {
    return this.request('POST', '/api/simulation/runs', parameters, [200, 201, 202]);
  }

  run(id: string): Promise<RunState> {
    return this.request('GET', `/api/simulation/runs/${id}`);
  }

  replay(): Promise<{ id: string; status: string }> {
    return this.request('POST', '/api/replay', {}, [200, 202]);
  }

  replayJob(id: string): Promise<{ id: string; status: string; error: string | null }> {
    return this.request('GET', `/api/replay/${id}`);
  }

  health(): Promise<{ read_model: { caught_up: boolean; projected_position: string } }> {
    return this.request('GET', '/health', undefined, [200, 503]);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
