import type { AttemptFacts } from '../domain/attempt-facts';
import {
  initialSettlementState,
  stepSettlement,
  type SeatSettlementState,
  type SettlementInput,
} from '../domain/settlement/settlement-workflow';
import { SettlementAgenda } from './settlement-agenda';

const T0 = 1_700_000_000_000;
const RULES = { windowMs: 2000, graceMs: 250 };

const attempt = (seatId: number, atMs: number, position: number): AttemptFacts => ({
  attemptId: `attempt-${seatId}-${position}`,
  customerName: `customer-${position}`,
  serverId: 'server-1',
  localDecision: 'confirmed',
  serverTimeMs: T0 + atMs,
  ntpCorrectedTimeMs: T0 + atMs,
  errorBoundMs: 0,
  hlc: String(T0 + atMs),
  logPosition: BigInt(position),
});

/** A seat's workflow state after these inputs, as the settlement process would hold it. */
const seatAfter = (seatId: number, inputs: readonly SettlementInput[]): SeatSettlementState =>
  inputs.reduce((state, input) => stepSettlement(state, input).state, initialSettlementState(seatId, null, RULES));

const recorded = (seatId: number, atMs: number, position: number): SettlementInput => ({
  type: 'AttemptRecorded',
  attempt: attempt(seatId, atMs, position),
  seenAtMs: T0 + atMs,
});

const settleTimeOf = (atMs: number) => T0 + atMs + RULES.windowMs + RULES.graceMs;

describe('settlement agenda', () => {
  it('given seats in their window, the next settle time is the earliest and only those past it are due', () => {
    const agenda = new SettlementAgenda();
    agenda.track(1, seatAfter(1, [recorded(1, 300, 1)]));
    agenda.track(2, seatAfter(2, [recorded(2, 100, 2)]));
    agenda.track(3, initialSettlementState(3, null, RULES));

    expect(agenda.nextSettleTime).toBe(settleTimeOf(100));
    expect(agenda.dueBy(settleTimeOf(100))).toEqual([2]);
    expect(agenda.dueBy(settleTimeOf(300)).sort()).toEqual([1, 2]);
    expect(agenda.openCount).toBe(2);
  });

  it('a seat past its settle time waits for the log, not for the timer; once settled it leaves the agenda', () => {
    const agenda = new SettlementAgenda();
    const passed = seatAfter(1, [recorded(1, 0, 1), { type: 'TimePassed', nowMs: settleTimeOf(0), logHead: 5n }]);
    agenda.track(1, passed);
    expect(agenda.nextSettleTime).toBe(Number.POSITIVE_INFINITY);
    expect([...agenda.waitingForLog]).toEqual([1]);

    const step = stepSettlement(passed, { type: 'LogRead', upTo: 5n });
    expect(step.commands.map((command) => command.type)).toEqual(['AssignSeat']);
    const settled = stepSettlement(step.state, {
      type: 'SeatAssigned',
      holder: { attemptId: 'attempt-1-1', customerName: 'customer-1', serverId: 'server-1' },
      consideredUpTo: 5n,
      position: 6n,
    }).state;
    agenda.track(1, settled);
    expect(settled.status).toBe('settled');
    expect([...agenda.waitingForLog]).toEqual([]);
    expect(agenda.openCount).toBe(0);
    expect(agenda.dueBy(Number.POSITIVE_INFINITY)).toEqual([]);
  });

  it('clear forgets every seat (a lab reset)', () => {
    const agenda = new SettlementAgenda();
    agenda.track(1, seatAfter(1, [recorded(1, 0, 1)]));
    agenda.clear();
    expect(agenda.openCount).toBe(0);
    expect(agenda.nextSettleTime).toBe(Number.POSITIVE_INFINITY);
  });
});
