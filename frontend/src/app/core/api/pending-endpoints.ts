// HAND-WRITTEN types for endpoints that docs/api.md promises but the backend's
// OpenAPI spec does not list yet (time and simulation). They follow docs/api.md
// field for field. When the backend serves these routes, run
// `npm run api:generate -w frontend`, alias the generated schemas in
// api-types.ts and delete the matching declarations here.

/** Paths typed here; the e2e runner checks /docs-json for them before running dependent scenarios. */
export const PENDING_PATHS = [
  '/api/time/status',
  '/api/time/sync',
  '/api/time/history',
  '/api/simulation/offsets',
  '/api/simulation/offsets/{server_id}',
  '/api/simulation/scenarios',
  '/api/simulation/scenarios/{name}/apply',
] as const;

/** A booking server's simulated clock, as configured (not as estimated by NTP). */
export interface ConfiguredClock {
  offset_ms: number;
  drift_ppm: number;
  jitter_ms: number;
  outbound_delay_ms: number;
  inbound_delay_ms: number;
  never_syncs: boolean;
}

/** PUT /api/simulation/offsets/:server_id accepts any subset of the configured clock. */
export type ClockChange = Partial<ConfiguredClock>;

export interface NtpSource {
  server: string;
  synchronized: boolean;
  reason: string | null;
  offset_ms: number | null;
  stratum: number | null;
  last_sync_at: string | null;
}

/** GET /api/time/status (an array without server_id). */
export interface TimeStatus {
  server_id: string;
  server_time: string;
  reference_time: string;
  configured: ConfiguredClock;
  estimated_offset_ms: number;
  error_bound_ms: number;
  is_synchronized: boolean;
  last_sync_at: string | null;
  next_sync_due: string | null;
  ntp_source?: NtpSource;
}

/** POST /api/time/sync?server_id= : one NTP exchange, RFC 5905 §8 stamps t1..t4. */
export interface SyncResult {
  t1_ms: number;
  t2_ms: number;
  t3_ms: number;
  t4_ms: number;
  offset_ms: number;
  delay_ms: number;
  error_bound_ms: number;
  estimated_offset_before_ms: number;
  estimated_offset_after_ms: number;
  true_offset_ms: number;
}

/** GET /api/time/history: one entry per sync, from the log. */
export interface SyncHistoryEntry {
  server_id: string;
  synced_at: string;
  offset_ms: number;
  delay_ms: number;
  error_bound_ms: number;
  estimated_offset_before_ms: number;
  estimated_offset_after_ms: number;
  true_offset_ms: number;
}

/** GET /api/simulation/offsets: one entry per server (the server id is not in ConfiguredClock). */
export interface ServerClockConfig extends ConfiguredClock {
  server_id: string;
}

export interface Scenario {
  name: string;
  description: string;
}
