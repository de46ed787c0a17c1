/**
 * What a run shows, computed from its own record of every seat with the same
 * resolution rule the read model applies and the lab's truth-based scoring:
 * conflicts by kind, how often each ordering strategy names the truly first
 * customer, how often the authority's holder is truly first (and what
 * explains it when not), bound violations per server, and the worst inversion.
 */
import { DECISION_STRATEGIES } from '../../reservations/domain/ordering';
import { resolutionStateOf, verdictOf } from '../../reservations/domain/resolution/seat-resolution-state';
import {
  boundViolated,
  holderVerdictOf,
  trulyFirst,
  type HolderVerdict,
  type ScoredAttempt,
} from '../../reservations/domain/scoring/truth-scoring';
import { ORDERING_STRATEGIES, type OrderingStrategy } from '../../reservations/domain/seat-events';
import type { SeatHolder } from '../../reservations/domain/seat-decider';

/** An attempt as the run's report scores it. */
export interface RunAttempt extends ScoredAttempt {
  readonly syncEpoch: number;
}

/** What happened to one seat: its attempts in log order and, once settled, what the authority had read. */
export interface SeatRecord {
  readonly seatId: number;
  readonly attempts: RunAttempt[];
  /** The (virtual) log position the authority had read when it decided; null if never settled. */
  cutoff: bigint | null;
  holder: (SeatHolder & { readonly decidedBy: 'ntp_corrected' | 'log_order' }) | null;
}

export const suspectEpochKey = (serverId: string, syncEpoch: number): string => `${serverId}\u0000${syncEpoch}`;

export interface WitnessAttempt {
  readonly attemptId: string;
  readonly customerName: string;
  readonly serverId: string;
  readonly referenceTimeMs: number;
  readonly serverTimeMs: number;
  readonly ntpCorrectedTimeMs: number;
  readonly errorBoundMs: number;
}

/** The seat where the naive server-clock order was most wrong, measured in true time. */
export interface InversionWitness {
  readonly seatId: number;
  /** How much later (reference time) the server-clock winner arrived than the truly first customer. */
  readonly gapMs: number;
  readonly trueFirst: WitnessAttempt;
  readonly serverClockWinner: WitnessAttempt;
  readonly ntpCorrectedWinner: WitnessAttempt;
}

export type WrongHolderCause = Exclude<HolderVerdict, 'correct'>;
export const WRONG_HOLDER_CAUSES: readonly WrongHolderCause[] = [
  'ambiguous',
  'bound_violation',
  'late_arrival',
  'unexplained',
];

export interface ServerBounds {
  readonly serverId: string;
  readonly attempts: number;
  readonly boundViolations: number;
  readonly outOfBound: number;
  readonly stepsDetected: number;
}

export interface RunSummary {
  readonly attempts: number;
  readonly seatsWithAttempts: number;
  readonly settledSeats: number;
  /** Seats with two or more competing attempts. */
  readonly contendedSeats: number;
  readonly conflicts: { readonly contention: number; readonly inversion: number; readonly ambiguous: number };
  /** Contended seats where the strategy's winner is the truly first attempt. */
  readonly correctSeats: Readonly<Record<OrderingStrategy, number>>;
  /** Every seat the authority assigned, and how many went to the truly first attempt. */
  readonly authority: { readonly seats: number; readonly correct: number };
  readonly wrongHolders: Readonly<Record<WrongHolderCause, number>>;
  readonly servers: readonly ServerBounds[];
  readonly worstInversion: InversionWitness | null;
}

const witnessOf = (attempt: RunAttempt): WitnessAttempt => ({
  attemptId: attempt.attemptId,
  customerName: attempt.customerName,
  serverId: attempt.serverId,
  referenceTimeMs: attempt.referenceTimeMs,
  serverTimeMs: attempt.serverTimeMs,
  ntpCorrectedTimeMs: attempt.ntpCorrectedTimeMs,
  errorBoundMs: attempt.errorBoundMs,
});

const countsBy = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/**
 * Folds the run's seats into its summary one at a time, so a run need not keep
 * every seat until its end: the planner hands a seat over once nothing can
 * change it any more. Whether an attempt is out of bound is known only when a
 * later sync detects the step, so attempts are counted per sync epoch and the
 * suspect epochs are applied at the end.
 */
export class RunSummaryAccumulator {
  private readonly conflicts = { contention: 0, inversion: 0, ambiguous: 0 };
  private readonly correctSeats = countsBy(ORDERING_STRATEGIES);
  private readonly wrongHolders = countsBy(WRONG_HOLDER_CAUSES);
  private readonly authority = { seats: 0, correct: 0 };
  private readonly servers: Map<string, { attempts: number; boundViolations: number }>;
  /** Attempts per `serverId␀syncEpoch`. */
  private readonly attemptsPerEpoch = new Map<string, number>();
  private seatsWithAttempts = 0;
  private contendedSeats = 0;
  private settledSeats = 0;
  private worstInversion: (InversionWitness & { readonly order: number }) | null = null;

  constructor(
    private readonly windowMs: number,
    private readonly serverIds: readonly string[],
  ) {
    this.servers = new Map(serverIds.map((serverId) => [serverId, { attempts: 0, boundViolations: 0 }]));
  }

  /** `order`: the seat's rank by its first attempt in the log (the worst inversion's ties go to the earlier seat). */
  addSeat(seat: SeatRecord, order: number): void {
    this.seatsWithAttempts += 1;
    for (const attempt of seat.attempts) {
      this.servers.get(attempt.serverId)!.attempts += 1;
      const epochKey = suspectEpochKey(attempt.serverId, attempt.syncEpoch);
      this.attemptsPerEpoch.set(epochKey, (this.attemptsPerEpoch.get(epochKey) ?? 0) + 1);
      if (boundViolated(attempt)) this.servers.get(attempt.serverId)!.boundViolations += 1;
    }
    const state = resolutionStateOf(seat.attempts, this.windowMs, seat.cutoff);
    const first = trulyFirst(seat.attempts);
    if (!state || !first) return;
    const verdict = verdictOf(state);
    for (const kind of verdict.kinds) this.conflicts[kind] += 1;
    const contended = state.competingCount >= 2;
    if (contended) {
      this.contendedSeats += 1;
      this.correctSeats.truth += 1;
      for (const strategy of DECISION_STRATEGIES) {
        if (state.winners[strategy].attemptId === first.attemptId) this.correctSeats[strategy] += 1;
      }
    }
    if (seat.holder) {
      this.settledSeats += 1;
      const holderAttemptId = seat.holder.attemptId;
      const holderVerdict = holderVerdictOf({
        holderAttemptId,
        holder: seat.attempts.find((attempt) => attempt.attemptId === holderAttemptId) ?? null,
        decidedBy: seat.holder.decidedBy,
        trulyFirst: first,
        anchor: state.anchor,
        consideredUpTo: seat.cutoff,
      });
      if (holderVerdict !== 'correct') this.wrongHolders[holderVerdict] += 1;
      this.authority.seats += 1;
      if (holderVerdict === 'correct') this.authority.correct += 1;
    }
    if (!verdict.kinds.includes('inversion')) return;
    const byServerClock = state.winners.server_clock;
    const gapMs = byServerClock.referenceTimeMs - first.referenceTimeMs;
    const worst = this.worstInversion;
    if (gapMs > 0 && (worst === null || gapMs > worst.gapMs || (gapMs === worst.gapMs && order < worst.order))) {
      this.worstInversion = {
        order,
        seatId: seat.seatId,
        gapMs,
        trueFirst: witnessOf(first),
        serverClockWinner: witnessOf(byServerClock),
        ntpCorrectedWinner: witnessOf(state.winners.ntp_corrected),
      };
    }
  }

  finish(attempts: number, suspectEpochs: ReadonlySet<string>, stepsDetected: ReadonlyMap<string, number>): RunSummary {
    const outOfBound = new Map<string, number>();
    for (const key of suspectEpochs) {
      const serverId = key.slice(0, key.indexOf('\u0000'));
      outOfBound.set(serverId, (outOfBound.get(serverId) ?? 0) + (this.attemptsPerEpoch.get(key) ?? 0));
    }
    let worstInversion: InversionWitness | null = null;
    if (this.worstInversion) {
      const { order: _order, ...witness } = this.worstInversion;
      worstInversion = witness;
    }
    return {
      attempts,
      seatsWithAttempts: this.seatsWithAttempts,
      settledSeats: this.settledSeats,
      contendedSeats: this.contendedSeats,
      conflicts: { ...this.conflicts },
      correctSeats: { ...this.correctSeats },
      authority: { ...this.authority },
      wrongHolders: { ...this.wrongHolders },
      servers: this.serverIds.map((serverId) => ({
        serverId,
        attempts: this.servers.get(serverId)!.attempts,
        boundViolations: this.servers.get(serverId)!.boundViolations,
        outOfBound: outOfBound.get(serverId) ?? 0,
        stepsDetected: stepsDetected.get(serverId) ?? 0,
      })),
      worstInversion,
    };
  }
}
