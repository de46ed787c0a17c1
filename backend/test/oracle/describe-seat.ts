/** A seat's stamps on one line, for a disagreement's reproduction in the report. */
import type { Timeline } from './lab-client';

export const describeSeat = (t: Timeline): string =>
  JSON.stringify({
    seat: t.seat_id,
    considered_up_to: t.considered_up_to,
    window: t.window,
    attempts: t.attempts.map((a) => ({
      who: `${a.customer_name}@${a.server_id}`,
      role: a.role,
      outcome: a.outcome,
      server_ms: a.server_time_ms,
      c_ms: a.ntp_corrected_time_ms,
      b_ms: a.error_bound_ms,
      ref_ms: a.reference_time_ms,
      pos: a.log_position,
    })),
    winners: Object.fromEntries(Object.entries(t.winners).map(([k, v]) => [k, v?.customer_name ?? null])),
    candidates: t.candidates.length,
    kinds: t.kinds,
    verdict: t.holder_verdict,
  });
