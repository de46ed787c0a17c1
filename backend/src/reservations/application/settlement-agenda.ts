/**
 * Which live seats the settlement process must look at, kept up to date as
 * each seat's workflow state changes. A session touches every seat it sells,
 * and most of them settle and stay settled: a batch or a timer tick looks at
 * the seats still in play here instead of walking all of them (at 100,000
 * seats that walk, once per batch, was a sixth of the process's CPU).
 */
import { settlementDueAtMs, type SeatSettlementState } from '../domain/settlement/settlement-workflow';

export class SettlementAgenda {
  /** Seats waiting for their settle time, and when it comes. */
  private readonly settleTimes = new Map<number, number>();
  /** Seats past their settle time that decide once the log is read far enough. */
  private readonly readingLog = new Set<number>();
  private readonly open = new Set<number>();

  track(seatId: number, state: SeatSettlementState): void {
    const settlesAt = settlementDueAtMs(state);
    if (settlesAt === null) this.settleTimes.delete(seatId);
    else this.settleTimes.set(seatId, settlesAt);
    const isOpen = state.status === 'open';
    toggle(this.open, seatId, isOpen);
    toggle(this.readingLog, seatId, isOpen && state.dueAtLogHead !== null);
  }

  clear(): void {
    this.settleTimes.clear();
    this.readingLog.clear();
    this.open.clear();
  }

  get openCount(): number {
    return this.open.size;
  }

  /** Seats whose settle time is at or before nowMs. */
  dueBy(nowMs: number): number[] {
    const due: number[] = [];
    for (const [seatId, settlesAt] of this.settleTimes) if (settlesAt <= nowMs) due.push(seatId);
    return due;
  }

  /** The earliest settle time among the seats waiting for one; +Infinity for none. */
  get nextSettleTime(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const settlesAt of this.settleTimes.values()) if (settlesAt < next) next = settlesAt;
    return next;
  }

  get waitingForLog(): ReadonlySet<number> {
    return this.readingLog;
  }
}

const toggle = (set: Set<number>, value: number, present: boolean): void => {
  if (present) set.add(value);
  else set.delete(value);
};
