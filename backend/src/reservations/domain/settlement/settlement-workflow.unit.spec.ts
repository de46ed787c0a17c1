import { workflowSpecification } from '../../../testing/workflow-specification';
import type { AttemptFacts } from '../attempt-facts';
import { UNBOUNDED_ERROR_MS } from '../clock-reading';
import { decideSeat, evolveSeat, initialSeatState, type SeatState } from '../seat-decider';
import type { SeatStreamEvent } from '../seat-events';
import {
  decideSettlement,
  evolveSettlement,
  initialSettlementState,
  settlementDueAtMs,
  stepSettlement,
  type SeatSettlementState,
  type SettlementCommand,
  type SettlementInput,
} from './settlement-workflow';

const T0 = 1_700_000_000_000;
const SEAT = 7;
const RULES = { windowMs: 2000, graceMs: 250 };

const spec = workflowSpecification<SettlementInput, SettlementCommand, SeatSettlementState>({
  decide: decideSettlement,
  evolve: evolveSettlement,
  initialState: () => initialSettlementState(SEAT, null, RULES),
});

const facts = (name: string, atMs: number, position: number, overrides: Partial<AttemptFacts> = {}): AttemptFacts => ({
  attemptId: `${name}-id`,
  customerName: name,
  serverId: `server-${name}`,
  localDecision: 'confirmed',
  serverTimeMs: T0 + atMs,
  ntpCorrectedTimeMs: T0 + atMs,
  errorBoundMs: 10,
  hlc: String(T0 + atMs),
  logPosition: BigInt(position),
  ...overrides,
});

const recorded = (attempt: AttemptFacts, seenAtMs = Number(attempt.ntpCorrectedTimeMs) + 5): SettlementInput => ({
  type: 'AttemptRecorded',
  attempt,
  seenAtMs,
});
const timePassed = (atMs: number, logHead: number): SettlementInput => ({
  type: 'TimePassed',
  nowMs: T0 + atMs,
  logHead: BigInt(logHead),
});
const logRead = (upTo: number): SettlementInput => ({ type: 'LogRead', upTo: BigInt(upTo) });
const holderOf = (attempt: AttemptFacts) => ({
  attemptId: attempt.attemptId,
  customerName: attempt.customerName,
  serverId: attempt.serverId,
});
const assigned = (attempt: AttemptFacts, consideredUpTo: number | null, position: number): SettlementInput => ({
  type: 'SeatAssigned',
  holder: holderOf(attempt),
  consideredUpTo: consideredUpTo === null ? null : BigInt(consideredUpTo),
  position: BigInt(position),
});

const ana = facts('ana', 0, 1);
const bob = facts('bob', 500, 2);

describe('settlement workflow', () => {
  it('says nothing while the window is open', () => {
    spec
      .given([recorded(ana), recorded(bob)])
      .when(timePassed(2000, 2))
      .then([]);
    spec
      .given([recorded(ana), recorded(bob), timePassed(2000, 2)])
      .when(logRead(2))
      .then([]);
  });

  it("once its clock passes the close plus grace, it decides from the log read up to that moment's head", () => {
    // Window anchored at ana's c + b = 10 ms, closes at 2010; grace 250: due at 2260.
    spec
      .given([recorded(ana), recorded(bob), timePassed(2260, 2)])
      .when(logRead(2))
      .thenMatch(([command, ...rest]) => {
        expect(rest).toEqual([]);
        expect(command).toMatchObject({
          type: 'AssignSeat',
          seatId: SEAT,
          winner: holderOf(ana),
          decidedBy: 'ntp_corrected',
          consideredUpTo: 2n,
          windowMs: 2000,
          closesAtMs: T0 + 2010,
          candidateIds: ['ana-id'],
          losers: [
            { ...holderOf(bob), localDecision: 'confirmed', reason: expect.stringContaining('provably came first') },
          ],
        });
      });
  });

  it('never decides before it has read the log up to the head it noted (point 9: a lagging reader)', () => {
    const early = facts('early', -100, 3, { ntpCorrectedTimeMs: T0 - 100 });
    // The head was at 3 when the clock passed: the reader is at 2, so an attempt it has not read yet may compete.
    spec
      .given([recorded(ana), recorded(bob), timePassed(2260, 3)])
      .when(logRead(2))
      .then([]);
    spec
      .given([recorded(ana), recorded(bob), timePassed(2260, 3), logRead(2), recorded(early)])
      .when(logRead(3))
      .thenMatch(([command]) => {
        expect(command).toMatchObject({ type: 'AssignSeat', winner: holderOf(early), consideredUpTo: 3n });
      });
  });

  it('sends one assignment at a time, and again only after it failed', () => {
    const due = [recorded(ana), recorded(bob), timePassed(2260, 2), logRead(2)];
    spec.given(due).when(logRead(2)).then([]);
    spec
      .given([...due, { type: 'CommandFailed', command: 'AssignSeat' }])
      .when(logRead(2))
      .thenMatch((commands) => expect(commands.map((command) => command.type)).toEqual(['AssignSeat']));
  });

  it('after the assignment, revokes the confirmed attempts recorded while it decided', () => {
    const meanwhile = facts('cy', 2240, 3);
    spec
      .given([recorded(ana), recorded(bob), timePassed(2260, 2), logRead(2), recorded(meanwhile), assigned(ana, 2, 4)])
      .when(logRead(4))
      .thenMatch(([command]) => {
        expect(command).toMatchObject({
          type: 'RevokeLateAttempts',
          attempts: [{ ...holderOf(meanwhile), reason: expect.stringContaining('after the seat was settled for ana') }],
        });
      });
  });

  it('revokes an attempt confirmed locally after the seat settled, never a rejected one nor the holder', () => {
    const settled = [recorded(ana), assigned(ana, 1, 2)];
    const late = facts('late', 9000, 3);
    spec
      .given([...settled, recorded(late), recorded(facts('polite', 9001, 4, { localDecision: 'rejected' }))])
      .when(logRead(4))
      .thenMatch(([command, ...rest]) => {
        expect(rest).toEqual([]);
        expect(command).toMatchObject({ type: 'RevokeLateAttempts', attempts: [holderOf(late)] });
      });
    spec.given(settled).when(logRead(2)).then([]);
  });

  it('revokes in one command at a time, and not again once the revocation is in the log', () => {
    const late = facts('late', 9000, 3);
    const sent = [recorded(ana), assigned(ana, 1, 2), recorded(late), logRead(3)];
    spec.given(sent).when(logRead(3)).then([]);
    spec
      .given([...sent, { type: 'ReservationRevoked', attemptId: late.attemptId }])
      .when(logRead(5))
      .then([]);
  });

  it('a seat whose attempts are all unbounded settles the window after it was first seen, plus the grace', () => {
    const blind = facts('blind', 0, 1, { errorBoundMs: UNBOUNDED_ERROR_MS });
    const state = stepSettlement(initialSettlementState(SEAT, null, RULES), recorded(blind, T0 + 40)).state;
    expect(settlementDueAtMs(state)).toBe(T0 + 40 + 2000 + 250);
  });

  it('a settlement recorded before cutoffs were kept considered every attempt before it', () => {
    spec
      .given([recorded(ana), recorded(bob), assigned(ana, null, 3)])
      .when(logRead(3))
      .then([]);
  });
});

describe('1,000 attempts on one seat: every locally confirmed loser is revoked', () => {
  it('by the assignment (those it considered) or after it (those recorded while it decided, or later)', () => {
    let workflow = initialSettlementState(SEAT, null, RULES);
    let seat: SeatState = initialSeatState(SEAT);
    const log: SeatStreamEvent[] = [];
    let position = 0;
    const execute = (commands: readonly SettlementCommand[]) => {
      for (const command of commands) {
        const events = decideSeat(command, seat);
        for (const event of events) {
          seat = evolveSeat(seat, event);
          log.push(event);
          position += 1;
          const input: SettlementInput =
            event.type === 'SeatAssigned'
              ? {
                  type: 'SeatAssigned',
                  holder: {
                    attemptId: event.data.attemptId,
                    customerName: event.data.customerName,
                    serverId: event.data.serverId,
                  },
                  consideredUpTo: BigInt(event.data.consideredUpTo!),
                  position: BigInt(position),
                }
              : { type: 'ReservationRevoked', attemptId: event.data.attemptId };
          workflow = stepSettlement(workflow, input).state;
        }
      }
    };
    const attempts: AttemptFacts[] = [];
    for (let index = 0; index < 1000; index += 1) {
      position += 1;
      // Spread over 3 s: a third arrive after the window closes; a server that already sees the holder rejects.
      const attempt = facts(`c${index}`, index * 3, position, {
        serverId: `server-${(index % 5) + 1}`,
        localDecision: seat.holder && index % 2 === 0 ? 'rejected' : 'confirmed',
      });
      attempts.push(attempt);
      workflow = stepSettlement(workflow, recorded(attempt)).state;
      if (index === 700) workflow = stepSettlement(workflow, timePassed(2300, position)).state;
      // The authority reads the log in batches of 50 (so it lags), and acts on what it has read.
      if (index % 50 === 49 || index === 999) {
        const step = stepSettlement(workflow, logRead(position));
        workflow = step.state;
        execute(step.commands);
      }
    }
    execute(stepSettlement(workflow, logRead(position)).commands);
    const holder = seat.holder!;
    const confirmedLosers = attempts.filter((a) => a.localDecision === 'confirmed' && a.attemptId !== holder.attemptId);
    expect(confirmedLosers.length).toBeGreaterThan(600);
    expect([...seat.revoked].sort()).toEqual(confirmedLosers.map((a) => a.attemptId).sort());
    expect(log.filter((event) => event.type === 'SeatAssigned')).toHaveLength(1);
    expect(holder.customerName).toBe('c0');
  });
});
