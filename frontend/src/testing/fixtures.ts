import type {
  ClockHistoryEntry,
  Conflict,
  Seat,
  SeatTimeline,
  ServerClockConfig,
  Stats,
  TimeStatus,
  TimelineAttempt,
} from '../app/core/api/api-types';

export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

export function seat(id: number, overrides: Partial<Seat> = {}): Seat {
  return {
    id,
    is_available: true,
    status: 'free',
    reservation: null,
    attempts_count: 0,
    conflict_kinds: [],
    ...overrides,
  };
}

export function attempt(
  id: string,
  stamps: { server: number; ntp: number; truth: number },
  overrides: Partial<TimelineAttempt> = {},
): TimelineAttempt {
  return {
    attempt_id: id,
    customer_name: id.toUpperCase(),
    server_id: `server-${id.charCodeAt(0) - 96}`,
    local_decision: 'confirmed',
    server_time_ms: T0 + stamps.server,
    estimated_offset_ms: stamps.server - stamps.ntp,
    error_bound_ms: 2,
    ntp_corrected_time_ms: T0 + stamps.ntp,
    hlc: `${String(T0 + stamps.server).padStart(15, '0')}.0000000000.server-${id.charCodeAt(0) - 96}`,
    reference_time_ms: T0 + stamps.truth,
    reference_uncertainty_ms: 0,
    log_position: String(stamps.truth),
    sync_epoch: 1,
    outcome: 'pending',
    outcome_reason: null,
    role: 'candidate',
    earliest_ms: T0 + stamps.ntp - 2,
    latest_ms: T0 + stamps.ntp + 2,
    revoked: false,
    out_of_bound: false,
    bound_violated: false,
    ...overrides,
  };
}

const pick = (a: TimelineAttempt) => ({
  attempt_id: a.attempt_id,
  customer_name: a.customer_name,
  server_id: a.server_id,
});

/**
 * Ana is truly first (true time +0 vs +5 ms) but her server's clock runs 40 ms
 * fast, so Bob's stamp reads earlier: the server-clock row is inverted, while
 * NTP correction puts Ana first again.
 */
export function invertedTimeline(): SeatTimeline {
  const ana = attempt('a', { server: 40, ntp: 1, truth: 0 });
  const bob = attempt('b', { server: 3, ntp: 6, truth: 5 });
  return {
    seat_id: 7,
    attempts: [ana, bob],
    orderings: {},
    winners: {
      server_clock: pick(bob),
      ntp_corrected: pick(ana),
      log_order: pick(ana),
      hlc: pick(bob),
      truth: pick(ana),
    },
    authoritative: { attempt_id: ana.attempt_id, customer_name: ana.customer_name, decided_by: 'ntp_corrected' },
    candidates: [ana.attempt_id],
    window: { window_ms: 2000, anchor_attempt_id: ana.attempt_id, closes_at_ms: T0 + 2003 },
    kinds: ['contention', 'inversion'],
    holder_attempt_id: ana.attempt_id,
    considered_up_to: '6',
    holder_verdict: 'correct',
    explanation:
      'inversion: server clocks put B (server-2) first, NTP-corrected time puts A (server-1) first; the server clocks were wrong',
  };
}

export function inversionConflict(id = 'c1', seatId = 7): Conflict {
  const timeline = invertedTimeline();
  return {
    id,
    run_id: '',
    seat_id: seatId,
    kinds: ['contention', 'inversion'],
    server_ids: ['server-1', 'server-2'],
    attempts_count: 2,
    witness: {
      attempts: timeline.attempts.map(
        ({
          outcome: _o,
          outcome_reason: _r,
          role: _role,
          earliest_ms: _e,
          latest_ms: _l,
          revoked: _v,
          out_of_bound: _b,
          bound_violated: _x,
          ...rest
        }) => rest,
      ),
      winners: timeline.winners!,
      candidates: timeline.candidates,
      window: timeline.window!,
      authoritative: timeline.authoritative!,
      explanation: 'server clocks disagree with truth',
    },
    detected_position: '12',
  };
}

export function serverClock(serverId: string, overrides: Partial<ServerClockConfig> = {}): ServerClockConfig {
  return {
    server_id: serverId,
    offset_ms: 10,
    drift_ppm: 0,
    jitter_ms: 0,
    outbound_delay_ms: 1,
    inbound_delay_ms: 1,
    never_syncs: false,
    step: null,
    strobe: null,
    source: 'manual',
    scenario: null,
    seed: null,
    ...overrides,
  };
}

export function timeStatus(serverId: string, overrides: Partial<TimeStatus> = {}): TimeStatus {
  return {
    server_id: serverId,
    server_time: new Date(T0 + 10).toISOString(),
    server_time_ms: T0 + 10,
    reference_time: new Date(T0).toISOString(),
    reference_time_ms: T0,
    true_offset_ms: 10,
    configured: serverClock(serverId),
    estimated_offset_ms: 9.5,
    error_bound_ms: 3,
    is_synchronized: true,
    sync_state: 'synchronized',
    last_sync_at: new Date(T0).toISOString(),
    next_sync_due: null,
    ntp_source: {
      server: '127.0.0.1:11123',
      state: 'synchronized',
      synchronized: true,
      reason: null,
      offset_ms: 0.1,
      uncertainty_ms: 0.15,
      round_trip_delay_ms: 0.2,
      stratum: 10,
      last_sync_at: new Date(T0).toISOString(),
      last_attempt_at: new Date(T0).toISOString(),
      holdover_since: null,
      holdover_ms: null,
      slew_remaining_ms: 0,
      max_slew_ppm: 500,
      frequency_ppm: null,
      authentication: null,
      sources: [
        {
          server: '127.0.0.1:11123',
          status: 'selected',
          reason: null,
          detail: null,
          offset_ms: 0.1,
          round_trip_delay_ms: 0.2,
          root_distance_ms: 0.15,
          stratum: 10,
          authenticated: false,
          ignored_datagrams: 0,
        },
      ],
    },
    ...overrides,
  };
}

/** One NTP synchronisation as GET /api/time/history reports it. */
export function syncEntry(
  serverId: string,
  atMs: number,
  overrides: Partial<ClockHistoryEntry> = {},
): ClockHistoryEntry {
  return {
    server_id: serverId,
    kind: 'synchronized',
    at: new Date(atMs).toISOString(),
    reference_time_ms: atMs,
    true_offset_ms: 250,
    estimated_offset_ms: 240,
    error_bound_ms: 1,
    offset_ms: -240,
    delay_ms: 2,
    drift_ppm: null,
    scenario: null,
    log_position: String(atMs),
    ...overrides,
  };
}

export function stats(overrides: Partial<Stats> = {}): Stats {
  return {
    attempts: 12,
    seats_with_attempts: 4,
    settled_seats: 4,
    contended_seats: 4,
    conflicts: { contention: 4, inversion: 2, ambiguous: 1 },
    accuracy: { server_clock: 0.5, ntp_corrected: 0.75, log_order: 0.5, hlc: 0.5, truth: 1 },
    correct_seats: { server_clock: 2, ntp_corrected: 3, log_order: 2, hlc: 2, truth: 4 },
    authority: { seats: 4, correct: 3, accuracy: 0.75 },
    wrong_holders: { ambiguous: 1, bound_violation: 0, late_arrival: 0, unexplained: 0 },
    servers: [{ server_id: 'server-1', attempts: 12, bound_violations: 0, out_of_bound: 0, steps_detected: 0 }],
    ...overrides,
  };
}
