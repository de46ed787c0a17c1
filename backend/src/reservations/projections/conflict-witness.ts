/**
 * The evidence behind a conflict: the attempts that matter with every stamp,
 * who each ordering picked, who could have been first, who the authority
 * chose, and an explanation that names the ordering that was actually wrong
 * (the lab's truth decides that part; it never decided the seat).
 */
import type { ConflictKind, DecidedBy } from '../domain/resolution/resolve-seat';
import { verdictOf } from '../domain/resolution/seat-resolution-state';
import { ORDERING_STRATEGIES, type OrderingStrategy } from '../domain/seat-events';
import type { ProjectedAttempt } from './attempt-row';
import type { SeatAnalysis } from './seat-analysis';
import { toWitnessAttempt, type WitnessAttempt } from './witness-attempt';

export type { WitnessAttempt } from './witness-attempt';

/** How many attempts a hot seat's witness lists at most (besides every strategy's pick and the candidates). */
export const WITNESS_ATTEMPTS_LIMIT = 25;

export interface StrategyPick {
  attempt_id: string;
  customer_name: string;
  server_id: string;
}

export interface ConflictWitness {
  /** In log order: every competing attempt on a small seat; on a hot seat the front-runners and every pick. */
  attempts: WitnessAttempt[];
  /** How many of the seat's attempts are not listed (present only when some are not). */
  attempts_omitted?: number;
  winners: Record<OrderingStrategy, StrategyPick>;
  /** The attempts that could have been first; more than one: time could not decide. */
  candidates: string[];
  authoritative: { attempt_id: string; customer_name: string; decided_by: string };
  window: { window_ms: number; anchor_attempt_id: string | null; closes_at_ms: number | null };
  explanation: string;
}

type Named = Pick<ProjectedAttempt, 'attemptId' | 'customerName' | 'serverId'>;

const nameOf = (attempt: Named): string => `${attempt.customerName} (${attempt.serverId})`;
const pickOf = (attempt: Named): StrategyPick => ({
  attempt_id: attempt.attemptId,
  customer_name: attempt.customerName,
  server_id: attempt.serverId,
});

export interface ExplanationFacts {
  readonly kinds: readonly ConflictKind[];
  readonly serverClockWinner: Named;
  readonly ntpCorrectedWinner: Named;
  readonly authoritative: { readonly winner: Named; readonly decidedBy: DecidedBy };
  readonly candidates: readonly Named[];
  readonly trulyFirst: Named;
  /** A bound did not hold among the attempts that competed. */
  readonly boundViolated: boolean;
}

const same = (a: Named, b: Named): boolean => a.attemptId === b.attemptId;

export const explainConflict = (facts: ExplanationFacts): string => {
  const parts: string[] = [];
  const { serverClockWinner: byServer, ntpCorrectedWinner: byCorrected, trulyFirst } = facts;
  if (facts.kinds.includes('inversion')) {
    const wrong = same(trulyFirst, byCorrected)
      ? 'the server clocks were wrong'
      : same(trulyFirst, byServer)
        ? `NTP-corrected time was wrong${facts.boundViolated ? ' (a bound did not hold)' : ''}`
        : `both were wrong: truly first was ${nameOf(trulyFirst)}`;
    parts.push(
      `inversion: server clocks put ${nameOf(byServer)} first, NTP-corrected time puts ${nameOf(byCorrected)} first; ${wrong}`,
    );
  }
  const { winner, decidedBy } = facts.authoritative;
  if (facts.kinds.includes('ambiguous')) {
    const truth = same(trulyFirst, winner) ? `, truly first` : `; truly first was ${nameOf(trulyFirst)}`;
    parts.push(
      `ambiguous: time cannot order ${facts.candidates.map(nameOf).join(', ')} (their error intervals overlap); log order gives the seat to ${nameOf(winner)}${truth}`,
    );
  } else if (decidedBy === 'ntp_corrected' && !facts.kinds.includes('inversion')) {
    const truth = same(trulyFirst, winner)
      ? ''
      : `, but truly first was ${nameOf(trulyFirst)}${facts.boundViolated ? ' (a bound did not hold)' : ''}`;
    parts.push(`contention: ${nameOf(winner)} is first by NTP-corrected time${truth}`);
  }
  return parts.join('; ');
};

const byPosition = (a: ProjectedAttempt, b: ProjectedAttempt): number =>
  a.logPosition < b.logPosition ? -1 : a.logPosition > b.logPosition ? 1 : 0;

/** The witness a seat's analysis gives; `boundViolated` is the scoring's verdict on the competing attempts. */
export const witnessOf = (analysis: SeatAnalysis, boundViolated: boolean): ConflictWitness => {
  const { resolution, scoring } = analysis;
  const verdict = verdictOf(resolution);
  const listed = new Map<string, ProjectedAttempt>();
  for (const attempt of [
    ...resolution.front.slice(0, WITNESS_ATTEMPTS_LIMIT),
    ...Object.values(resolution.winners),
    ...resolution.candidates,
    ...(resolution.anchor ? [resolution.anchor] : []),
    scoring.trulyFirst,
  ]) {
    listed.set(attempt.attemptId, attempt);
  }
  const attempts = [...listed.values()].sort(byPosition);
  const omitted = resolution.attemptsCount - attempts.length;
  const winners = {
    ...Object.fromEntries(Object.entries(resolution.winners).map(([strategy, attempt]) => [strategy, pickOf(attempt)])),
    truth: pickOf(scoring.trulyFirst),
  } as Record<OrderingStrategy, StrategyPick>;
  return {
    attempts: attempts.map(toWitnessAttempt),
    ...(omitted > 0 ? { attempts_omitted: omitted } : {}),
    winners: Object.fromEntries(ORDERING_STRATEGIES.map((strategy) => [strategy, winners[strategy]])) as Record<
      OrderingStrategy,
      StrategyPick
    >,
    candidates: resolution.candidates.map((candidate) => candidate.attemptId),
    authoritative: {
      attempt_id: verdict.authoritative.winner.attemptId,
      customer_name: verdict.authoritative.winner.customerName,
      decided_by: verdict.authoritative.decidedBy,
    },
    window: {
      window_ms: resolution.windowMs,
      anchor_attempt_id: resolution.anchor?.attemptId ?? null,
      closes_at_ms: Number.isFinite(verdict.closesAtMs) ? verdict.closesAtMs : null,
    },
    explanation: explainConflict({
      kinds: verdict.kinds,
      serverClockWinner: resolution.winners.server_clock,
      ntpCorrectedWinner: resolution.winners.ntp_corrected,
      authoritative: verdict.authoritative,
      candidates: resolution.candidates,
      trulyFirst: scoring.trulyFirst,
      boundViolated,
    }),
  };
};
