/**
 * Settlement of one seat as a workflow: events in, commands out. It reads
 * the seat's events in log order and the authority's own clock, and says when
 * to assign the seat and whom to revoke. No I/O and no clock of its own: the
 * runtime (live: settlement-process.ts, seeded runs: the run planner)
 * delivers "time passed" with the log's head at that moment and "log read up
 * to", executes the commands, and reports failures.
 *
 * The rule of point 9 of the resolution issue: once the authority's clock has
 * passed the seat's settle time, it notes the log's head, and it decides only
 * after it has read the log up to that head, so every attempt appended before
 * the window closed (plus grace) competes; attempts appended later reached the
 * log after the decision and lose to the holder (revoked if their server had
 * confirmed them).
 */
import { assertNever } from '../../../shared/assert-never';
import type { AttemptFacts } from '../attempt-facts';
import { describeLoss } from '../resolution/describe-loss';
import { resolveSeat } from '../resolution/resolve-seat';
import { seatWindowOf, settlesAtMs } from '../resolution/seat-window';
import type { AssignSeat, Loser, RevokeLateAttempts, SeatHolder } from '../seat-decider';

export interface SettlementRules {
  readonly windowMs: number;
  /** How long after the window's close the authority waits for attempts still on their way to the log. */
  readonly graceMs: number;
}

export type SettlementInput =
  | { readonly type: 'AttemptRecorded'; readonly attempt: AttemptFacts; readonly seenAtMs: number }
  | {
      readonly type: 'SeatAssigned';
      readonly holder: SeatHolder;
      /** null: every attempt before `position` was considered. */
      readonly consideredUpTo: bigint | null;
      readonly position: bigint;
    }
  | { readonly type: 'ReservationRevoked'; readonly attemptId: string }
  /** The authority's clock reads nowMs; the log's head was logHead at that moment. */
  | { readonly type: 'TimePassed'; readonly nowMs: number; readonly logHead: bigint }
  /** Every event up to `upTo` has been delivered. */
  | { readonly type: 'LogRead'; readonly upTo: bigint }
  | { readonly type: 'CommandFailed'; readonly command: SettlementCommand['type'] };

export type SettlementCommand = AssignSeat | RevokeLateAttempts;

interface SeatIdentity {
  readonly seatId: number;
  readonly runId: string | null;
  readonly rules: SettlementRules;
}

export type SeatSettlementState =
  | (SeatIdentity & { readonly status: 'idle' })
  | (SeatIdentity & {
      readonly status: 'open';
      /** In log order. */
      readonly attempts: readonly AttemptFacts[];
      readonly firstSeenAtMs: number;
      /** Set once the settle time has passed: the log must be read up to here before deciding. */
      readonly dueAtLogHead: bigint | null;
      readonly assigning: boolean;
    })
  | (SeatIdentity & {
      readonly status: 'settled';
      readonly holder: SeatHolder;
      /** Confirmed locally, lost, not revoked yet. */
      readonly unrevoked: readonly AttemptFacts[];
      /** The attempts of the revocation on its way (at most one at a time). */
      readonly revokingIds: ReadonlySet<string>;
    });

export const initialSettlementState = (
  seatId: number,
  runId: string | null,
  rules: SettlementRules,
): SeatSettlementState => ({ status: 'idle', seatId, runId, rules });

/** When the runtime should deliver TimePassed next; null when nothing waits on the clock. */
export const settlementDueAtMs = (state: SeatSettlementState): number | null => {
  if (state.status !== 'open' || state.dueAtLogHead !== null || state.assigning) return null;
  return settlesAtMs(seatWindowOf(state.attempts, state.rules.windowMs), {
    firstSeenAtMs: state.firstSeenAtMs,
    windowMs: state.rules.windowMs,
    graceMs: state.rules.graceMs,
  });
};

const summaryOf = (attempt: AttemptFacts) => ({
  attemptId: attempt.attemptId,
  customerName: attempt.customerName,
  serverId: attempt.serverId,
  localDecision: attempt.localDecision,
});

const assignment = (state: Extract<SeatSettlementState, { status: 'open' }>, upTo: bigint): AssignSeat => {
  const resolution = resolveSeat({ attempts: state.attempts, windowMs: state.rules.windowMs, consideredUpTo: upTo })!;
  const { winner, decidedBy } = resolution.authoritative;
  const holder = summaryOf(winner);
  return {
    type: 'AssignSeat',
    seatId: state.seatId,
    runId: state.runId,
    winner: holder,
    decidedBy,
    losers: resolution.losers.map(({ attempt, reason }) => ({
      ...summaryOf(attempt),
      reason: describeLoss(reason, holder),
    })),
    consideredUpTo: upTo,
    windowMs: state.rules.windowMs,
    closesAtMs: resolution.window.closesAtMs,
    candidateIds: resolution.candidates.map((candidate) => candidate.attemptId),
  };
};

const lateRevocation = (state: Extract<SeatSettlementState, { status: 'settled' }>): RevokeLateAttempts => ({
  type: 'RevokeLateAttempts',
  seatId: state.seatId,
  runId: state.runId,
  attempts: state.unrevoked.map((attempt): Loser => ({
    ...summaryOf(attempt),
    reason: describeLoss({ kind: 'after_settlement' }, state.holder),
  })),
});

export const decideSettlement = (input: SettlementInput, state: SeatSettlementState): SettlementCommand[] => {
  switch (input.type) {
    case 'LogRead':
      if (
        state.status === 'open' &&
        !state.assigning &&
        state.dueAtLogHead !== null &&
        input.upTo >= state.dueAtLogHead
      ) {
        return [assignment(state, input.upTo)];
      }
      if (state.status === 'settled' && state.revokingIds.size === 0 && state.unrevoked.length > 0) {
        return [lateRevocation(state)];
      }
      return [];
    case 'AttemptRecorded':
    case 'SeatAssigned':
    case 'ReservationRevoked':
    case 'TimePassed':
    case 'CommandFailed':
      return [];
    default:
      return assertNever(input);
  }
};

const confirmedLoser = (attempt: AttemptFacts, holder: SeatHolder): boolean =>
  attempt.localDecision === 'confirmed' && attempt.attemptId !== holder.attemptId;

const onInput = (state: SeatSettlementState, input: SettlementInput): SeatSettlementState => {
  switch (input.type) {
    case 'AttemptRecorded':
      if (state.status === 'idle') {
        return {
          ...state,
          status: 'open',
          attempts: [input.attempt],
          firstSeenAtMs: input.seenAtMs,
          dueAtLogHead: null,
          assigning: false,
        };
      }
      if (state.status === 'open') return { ...state, attempts: [...state.attempts, input.attempt] };
      return confirmedLoser(input.attempt, state.holder)
        ? { ...state, unrevoked: [...state.unrevoked, input.attempt] }
        : state;
    case 'SeatAssigned': {
      if (state.status === 'settled') return state;
      const cutoff = input.consideredUpTo ?? input.position - 1n;
      // The assignment revoked the confirmed attempts it considered; the ones recorded meanwhile remain.
      const unrevoked =
        state.status === 'open'
          ? state.attempts.filter((attempt) => attempt.logPosition > cutoff && confirmedLoser(attempt, input.holder))
          : [];
      return {
        seatId: state.seatId,
        runId: state.runId,
        rules: state.rules,
        status: 'settled',
        holder: input.holder,
        unrevoked,
        revokingIds: new Set(),
      };
    }
    case 'ReservationRevoked':
      if (state.status !== 'settled') return state;
      return {
        ...state,
        unrevoked: state.unrevoked.filter((attempt) => attempt.attemptId !== input.attemptId),
        revokingIds: new Set([...state.revokingIds].filter((id) => id !== input.attemptId)),
      };
    case 'TimePassed': {
      const dueAt = settlementDueAtMs(state);
      if (state.status !== 'open' || dueAt === null || input.nowMs < dueAt) return state;
      return { ...state, dueAtLogHead: input.logHead };
    }
    case 'LogRead':
      return state;
    case 'CommandFailed':
      if (state.status === 'open' && input.command === 'AssignSeat') return { ...state, assigning: false };
      if (state.status === 'settled' && input.command === 'RevokeLateAttempts')
        return { ...state, revokingIds: new Set() };
      return state;
    default:
      return assertNever(input);
  }
};

const onCommand = (state: SeatSettlementState, command: SettlementCommand): SeatSettlementState => {
  switch (command.type) {
    case 'AssignSeat':
      return state.status === 'open' ? { ...state, assigning: true } : state;
    case 'RevokeLateAttempts':
      return state.status === 'settled'
        ? { ...state, revokingIds: new Set(command.attempts.map((attempt) => attempt.attemptId)) }
        : state;
    default:
      return assertNever(command);
  }
};

/** Inputs change the state; so do the commands it sends (so it does not send them twice). */
export const evolveSettlement = (
  state: SeatSettlementState,
  message: SettlementInput | SettlementCommand,
): SeatSettlementState =>
  message.type === 'AssignSeat' || message.type === 'RevokeLateAttempts'
    ? onCommand(state, message)
    : onInput(state, message);

/** One input through the workflow: the commands to execute and the state after them. */
export const stepSettlement = (
  state: SeatSettlementState,
  input: SettlementInput,
): { readonly state: SeatSettlementState; readonly commands: readonly SettlementCommand[] } => {
  const commands = decideSettlement(input, state);
  const next = commands.reduce(evolveSettlement, evolveSettlement(state, input));
  return { state: next, commands };
};
