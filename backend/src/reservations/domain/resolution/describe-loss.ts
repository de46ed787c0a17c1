/** Why an attempt lost, in words a customer (and a student) can follow. */
import type { AttemptFacts } from '../attempt-facts';
import type { SeatHolder } from '../seat-decider';
import type { LossReason } from './resolve-seat';

const named = (attempt: Pick<AttemptFacts, 'customerName' | 'serverId'>): string =>
  `${attempt.customerName} (${attempt.serverId})`;

export const describeLoss = (reason: LossReason<AttemptFacts>, winner: SeatHolder): string => {
  switch (reason.kind) {
    case 'after_settlement':
      return `it reached the log after the seat was settled for ${named(winner)}`;
    case 'after_window':
      return `it was made after the conflict window closed: even its earliest possible time is past the close`;
    case 'provably_later':
      return `${named(reason.than)} provably came first: their error interval ends before this one begins`;
    case 'log_order':
      return `time cannot order it against ${named(winner)} (their error intervals overlap), and ${named(winner)} is earlier in the log`;
  }
};

/** How the winner won, in words. */
export const describeWin = (decidedBy: 'ntp_corrected' | 'log_order', candidates: number): string =>
  decidedBy === 'ntp_corrected'
    ? 'first by NTP-corrected time: no other attempt could have been first'
    : `first in the log among ${candidates} attempts that time cannot order`;
