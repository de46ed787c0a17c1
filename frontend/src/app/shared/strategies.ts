import type { OrderingStrategy } from '../core/api/api-types';

export interface StrategyInfo {
  /** A plain name for a class, not the API's key. */
  label: string;
  /** One line: what the strategy orders by, and what that means. */
  explanation: string;
}

export const STRATEGIES: Record<OrderingStrategy, StrategyInfo> = {
  server_clock: {
    label: 'Server clock',
    explanation: "Each booking server's own clock, skew and all: what naive servers trust.",
  },
  ntp_corrected: {
    label: 'NTP-corrected',
    explanation: 'Server time minus the offset NTP measured: the order the lab trusts to decide.',
  },
  log_order: {
    label: 'Arrival in the log',
    explanation: 'The order the attempts reached the shared event log (network delays included).',
  },
  hlc: {
    label: 'Hybrid logical clock',
    explanation:
      'Physical time plus a counter that never goes back behind what a server has seen. ' +
      'Within one seat a server has rarely seen a later stamp from another, so the stamp is its own ' +
      'skewed clock: that is why it scores like the server clock in seeded runs.',
  },
  truth: {
    label: 'True time',
    explanation: 'The reference clock: only the lab knows it; it scores the others and never decides.',
  },
};

export const strategyLabel = (strategy: OrderingStrategy): string => STRATEGIES[strategy].label;

/** How a seat was decided, in words ("decided by NTP-corrected time"). */
export function decidedByText(decidedBy: string): string {
  if (decidedBy === 'ntp_corrected') return 'by NTP-corrected time';
  if (decidedBy === 'log_order') return 'by arrival in the log (times too close to call)';
  return decidedBy in STRATEGIES ? `by ${STRATEGIES[decidedBy as OrderingStrategy].label}` : `by ${decidedBy}`;
}
