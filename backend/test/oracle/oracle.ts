/**
 * The independent oracle: recomputes every decision of a seat from the stamps the API returns,
 * following docs/resolution.md and issue 11 only (it imports nothing from the backend).
 *
 * What the authority may use: corrected time c, bound b, log position, and when it settled
 * (`considered_up_to`). The truth (`reference_time_ms`) is read only by the scoring below.
 */
import { STRATEGIES, type Role, type Seat, type Strategy, type Timeline, type TimelineAttempt } from './lab-client';

/** A bound this large (or missing) means the attempt is unbounded (docs/resolution.md). */
export const UNBOUNDED_MS = 86_400_000;

export const isUnbounded = (a: TimelineAttempt): boolean =>
  a.error_bound_ms === null || a.error_bound_ms === undefined || a.error_bound_ms >= UNBOUNDED_MS;
const earliest = (a: TimelineAttempt): number =>
  isUnbounded(a) ? -Infinity : a.ntp_corrected_time_ms - a.error_bound_ms;
const latest = (a: TimelineAttempt): number => (isUnbounded(a) ? Infinity : a.ntp_corrected_time_ms + a.error_bound_ms);
const position = (a: TimelineAttempt): bigint => BigInt(a.log_position);

export type Verdict = 'correct' | 'late_arrival' | 'bound_violation' | 'ambiguous' | 'unexplained';

export interface Expected {
  roles: Map<string, Role>;
  anchorId: string | null;
  closesAtMs: number | null;
  competing: string[];
  candidates: string[];
  holderId: string | null;
  decidedBy: 'ntp_corrected' | 'log_order' | null;
  kinds: string[];
  trulyFirstId: string;
  boundViolated: Set<string>;
  verdict: Verdict | null;
  /** each strategy's winner among the competing attempts */
  winners: Record<Strategy, string>;
  orderings: Record<Strategy, string[]>;
}

const sortedIds = (attempts: readonly TimelineAttempt[], key: (a: TimelineAttempt) => number | string | bigint) =>
  [...attempts]
    .sort((x, y) => {
      const kx = key(x);
      const ky = key(y);
      if (kx < ky) return -1;
      if (kx > ky) return 1;
      return position(x) < position(y) ? -1 : 1;
    })
    .map((a) => a.attempt_id);

const strategyKey: Record<Strategy, (a: TimelineAttempt) => number | string | bigint> = {
  server_clock: (a) => a.server_time_ms,
  ntp_corrected: (a) => a.ntp_corrected_time_ms,
  log_order: position,
  hlc: (a) => a.hlc,
  truth: (a) => a.reference_time_ms,
};

const argMin = (attempts: readonly TimelineAttempt[], key: (a: TimelineAttempt) => number): TimelineAttempt =>
  attempts.reduce((best, a) => (key(a) < key(best) ? a : best));

/** The rule of docs/resolution.md, recomputed. `windowMs` is CONFLICT_WINDOW_MS. */
export const expectSeat = (timeline: Timeline, windowMs: number): Expected => {
  const attempts = timeline.attempts;
  const settledAt = timeline.considered_up_to === null ? null : BigInt(timeline.considered_up_to);
  const considered = attempts.filter((a) => settledAt === null || position(a) <= settledAt);

  // The anchor: of the attempts the authority read, the bounded one with the smallest c + b.
  const bounded = considered.filter((a) => !isUnbounded(a));
  const anchor = bounded.length === 0 ? null : argMin(bounded, latest);
  const closesAtMs = anchor === null ? null : latest(anchor) + windowMs;

  const roles = new Map<string, Role>();
  const competing: TimelineAttempt[] = [];
  for (const a of attempts) {
    if (settledAt !== null && position(a) > settledAt) roles.set(a.attempt_id, 'after_settlement');
    else if (closesAtMs !== null && !isUnbounded(a) && earliest(a) >= closesAtMs)
      roles.set(a.attempt_id, 'after_window');
    else competing.push(a);
  }
  // A candidate could be first: its c − b is not after the smallest c + b of the other competitors.
  const candidates = competing.filter((x) => {
    const others = competing.filter((y) => y !== x);
    return others.length === 0 || earliest(x) <= Math.min(...others.map(latest));
  });
  for (const a of competing) roles.set(a.attempt_id, candidates.includes(a) ? 'candidate' : 'competing');

  let holder: TimelineAttempt | null = null;
  let decidedBy: Expected['decidedBy'] = null;
  if (settledAt !== null && candidates.length > 0) {
    if (candidates.length === 1) {
      holder = candidates[0]!;
      decidedBy = 'ntp_corrected';
    } else {
      holder = candidates.reduce((best, a) => (position(a) < position(best) ? a : best));
      decidedBy = 'log_order';
    }
  }

  const kinds: string[] = [];
  if (competing.length >= 2) kinds.push('contention');
  if (
    competing.length >= 2 &&
    argMin(competing, (a) => a.server_time_ms) !== argMin(competing, (a) => a.ntp_corrected_time_ms)
  )
    kinds.push('inversion');
  if (candidates.length >= 2) kinds.push('ambiguous');

  // Scoring only: the truth.
  const trulyFirst = argMin(attempts, (a) => a.reference_time_ms);
  const boundViolated = new Set(
    attempts
      .filter((a) => {
        // A truth known to ±u shows the interval wrong only once it lies more than u outside it.
        const u = a.reference_uncertainty_ms;
        return !isUnbounded(a) && (a.reference_time_ms < earliest(a) - u || a.reference_time_ms > latest(a) + u);
      })
      .map((a) => a.attempt_id),
  );
  let verdict: Verdict | null = null;
  if (holder !== null) {
    if (holder === trulyFirst) verdict = 'correct';
    else if (roles.get(trulyFirst.attempt_id) === 'after_settlement') verdict = 'late_arrival';
    else if ([trulyFirst, holder, anchor].some((a) => a !== null && boundViolated.has(a.attempt_id)))
      verdict = 'bound_violation';
    else if (candidates.length >= 2) verdict = 'ambiguous';
    else verdict = 'unexplained';
  }

  const orderings = Object.fromEntries(STRATEGIES.map((s) => [s, sortedIds(attempts, strategyKey[s])])) as Record<
    Strategy,
    string[]
  >;
  // Each strategy's own winner: first in its order among the competing attempts, the set the conflict
  // kinds are taken over (measured: the lab leaves out after_window and after_settlement attempts; the
  // doc does not say), except the truth's. The orderings themselves list every attempt.
  const competingIds = new Set(competing.map((a) => a.attempt_id));
  // The truth's winner is the truly first attempt of all (measured, and what "truly first" means in the doc).
  const winners = Object.fromEntries(
    STRATEGIES.map((s) => [
      s,
      s === 'truth' ? trulyFirst.attempt_id : (orderings[s].find((id) => competingIds.has(id)) ?? orderings[s][0]!),
    ]),
  ) as Record<Strategy, string>;

  return {
    roles,
    anchorId: anchor?.attempt_id ?? null,
    closesAtMs,
    competing: competing.map((a) => a.attempt_id),
    candidates: candidates.map((a) => a.attempt_id),
    holderId: holder?.attempt_id ?? null,
    decidedBy,
    kinds,
    trulyFirstId: trulyFirst.attempt_id,
    boundViolated,
    verdict,
    winners,
    orderings,
  };
};

/** The reason a loser should be given, as a pattern over the lab's text (docs/resolution.md, "Each loser gets its reason"). */
const reasonPattern: Record<Role, RegExp> = {
  after_settlement: /settled/i,
  after_window: /window/i,
  competing: /provably/i,
  candidate: /log/i,
};

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();
const near = (a: number | null, b: number | null, tolerance = 0.01) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= tolerance;

export interface SeatCheck {
  seatId: number;
  expected: Expected;
  disagreements: string[];
  phantomContention: boolean;
  missedContention: boolean;
}

/** Every disagreement between the lab's seat (timeline and seat resource) and the oracle. */
export const checkSeat = (timeline: Timeline, seat: Seat | null, windowMs: number): SeatCheck => {
  const e = expectSeat(timeline, windowMs);
  const d: string[] = [];
  const name = (id: string | null) =>
    id === null
      ? 'nobody'
      : `${timeline.attempts.find((a) => a.attempt_id === id)?.customer_name ?? '?'}(${id.slice(0, 8)})`;
  const disagree = (what: string, lab: unknown, oracle: unknown) =>
    d.push(`seat ${timeline.seat_id}: ${what}: lab ${JSON.stringify(lab)}, oracle ${JSON.stringify(oracle)}`);

  for (const a of timeline.attempts) {
    // The stamps are self-consistent: c = server time − estimated offset, interval = c ∓ b.
    if (a.estimated_offset_ms !== null && !near(a.ntp_corrected_time_ms, a.server_time_ms - a.estimated_offset_ms))
      disagree(
        `${name(a.attempt_id)} c ≠ server time − offset`,
        a.ntp_corrected_time_ms,
        a.server_time_ms - a.estimated_offset_ms,
      );
    const lo = isUnbounded(a) ? null : earliest(a);
    const hi = isUnbounded(a) ? null : latest(a);
    if (!near(a.earliest_ms, lo) || !near(a.latest_ms, hi))
      disagree(`${name(a.attempt_id)} interval`, [a.earliest_ms, a.latest_ms], [lo, hi]);
    if (a.role !== e.roles.get(a.attempt_id)) disagree(`${name(a.attempt_id)} role`, a.role, e.roles.get(a.attempt_id));
    if (a.bound_violated !== e.boundViolated.has(a.attempt_id))
      disagree(`${name(a.attempt_id)} bound_violated`, a.bound_violated, e.boundViolated.has(a.attempt_id));
    if (e.holderId !== null) {
      const outcome = a.attempt_id === e.holderId ? 'won' : 'lost';
      if (a.outcome !== outcome) disagree(`${name(a.attempt_id)} outcome`, a.outcome, outcome);
      const revoked = outcome === 'lost' && a.local_decision === 'confirmed';
      if (a.revoked !== revoked) disagree(`${name(a.attempt_id)} revoked`, a.revoked, revoked);
      const role = e.roles.get(a.attempt_id)!;
      if (outcome === 'lost' && !reasonPattern[role].test(a.outcome_reason ?? ''))
        disagree(`${name(a.attempt_id)} loser reason (role ${role})`, a.outcome_reason, String(reasonPattern[role]));
    }
  }
  if ((timeline.window?.anchor_attempt_id ?? null) !== e.anchorId)
    disagree('anchor', name(timeline.window?.anchor_attempt_id ?? null), name(e.anchorId));
  if (!near(timeline.window?.closes_at_ms ?? null, e.closesAtMs))
    disagree('window close', timeline.window?.closes_at_ms, e.closesAtMs);
  if (timeline.window !== null && timeline.window.window_ms !== windowMs)
    disagree('window_ms', timeline.window.window_ms, windowMs);
  if (!sameSet(timeline.candidates, e.candidates))
    disagree('candidates', timeline.candidates.map(name), e.candidates.map(name));
  if (timeline.holder_attempt_id !== e.holderId) disagree('holder', name(timeline.holder_attempt_id), name(e.holderId));
  if ((timeline.authoritative?.attempt_id ?? null) !== e.holderId)
    disagree('authoritative', name(timeline.authoritative?.attempt_id ?? null), name(e.holderId));
  if ((timeline.authoritative?.decided_by ?? null) !== e.decidedBy)
    disagree('decided_by', timeline.authoritative?.decided_by ?? null, e.decidedBy);
  if (!sameSet(timeline.kinds, e.kinds)) disagree('kinds', timeline.kinds, e.kinds);
  if (timeline.holder_verdict !== e.verdict) disagree('holder_verdict', timeline.holder_verdict, e.verdict);
  for (const s of STRATEGIES) {
    const lab = timeline.orderings[s];
    if (lab !== undefined && lab.join() !== e.orderings[s].join())
      disagree(`${s} ordering`, lab.map(name), e.orderings[s].map(name));
    const w = timeline.winners[s]?.attempt_id ?? null;
    if (w !== e.winners[s]) disagree(`${s} winner`, name(w), name(e.winners[s]));
  }
  const explanationProblem = checkExplanation(timeline, e);
  if (explanationProblem !== null) disagree('explanation', timeline.explanation, explanationProblem);

  // The seat resource says the same as the timeline (live seats only: a run's seat has no seat resource).
  if (seat !== null) {
    if ((seat.reservation?.id ?? null) !== e.holderId)
      disagree('seat reservation', name(seat.reservation?.id ?? null), name(e.holderId));
    if (seat.reservation !== null && seat.reservation.decided_by !== e.decidedBy)
      disagree('seat decided_by', seat.reservation.decided_by, e.decidedBy);
    if (!sameSet(seat.conflict_kinds, e.kinds)) disagree('seat conflict_kinds', seat.conflict_kinds, e.kinds);
    if (seat.attempts_count !== timeline.attempts.length)
      disagree('seat attempts_count', seat.attempts_count, timeline.attempts.length);
    if ((e.holderId !== null) !== (seat.status === 'taken'))
      disagree('seat status', seat.status, e.holderId ? 'taken' : 'not taken');
  }

  return {
    seatId: timeline.seat_id,
    expected: e,
    disagreements: d,
    phantomContention: timeline.kinds.includes('contention') && !e.kinds.includes('contention'),
    missedContention: !timeline.kinds.includes('contention') && e.kinds.includes('contention'),
  };
};

/**
 * Issue 11 item 10: the conflict's explanation must name the ordering that was actually wrong.
 * Checks the clause for each kind against the oracle's winners and the truly first attempt; returns
 * what was expected when a clause is missing or blames the wrong ordering, else null.
 */
export const checkExplanation = (timeline: Timeline, e: Expected): string | null => {
  const text = timeline.explanation;
  if (e.kinds.length === 0) return null;
  if (text === null) return 'an explanation';
  const who = (id: string | null) => {
    const a = timeline.attempts.find((x) => x.attempt_id === id);
    return a === undefined ? '?' : `${a.customer_name} (${a.server_id})`;
  };
  const truly = who(e.trulyFirstId);
  const expected: string[] = [];
  if (e.kinds.includes('inversion')) {
    const server = e.winners.server_clock;
    const ntp = e.winners.ntp_corrected;
    const blame =
      e.trulyFirstId === ntp
        ? 'the server clocks were wrong'
        : e.trulyFirstId === server
          ? 'NTP-corrected time was wrong'
          : `both were wrong: truly first was ${truly}`;
    expected.push(
      `inversion: server clocks put ${who(server)} first, NTP-corrected time puts ${who(ntp)} first; ${blame}`,
    );
  }
  if (e.kinds.includes('ambiguous'))
    expected.push(
      `log order gives the seat to ${who(e.holderId)}` +
        (e.holderId === e.trulyFirstId ? ', truly first' : `; truly first was ${truly}`),
    );
  if (!e.kinds.includes('inversion') && !e.kinds.includes('ambiguous'))
    expected.push(
      `contention: ${who(e.holderId)} is first by NTP-corrected time` +
        (e.holderId === e.trulyFirstId ? '' : `, but truly first was ${truly}`),
    );
  const missing = expected.filter((clause) => !text.includes(clause));
  if (missing.length > 0) return missing.join(' | ');
  if (
    !e.kinds.includes('inversion') &&
    !e.kinds.includes('ambiguous') &&
    e.holderId === e.trulyFirstId &&
    /truly first was/.test(text)
  )
    return 'no "truly first was" for a correct holder';
  return null;
};
