import { analyseSeat } from './conflict-analysis';
import type { AttemptStamps } from './ordering';

const t0 = 1_700_000_000_000;
let position = 0n;
const stamps = (
  customerName: string,
  overrides: Partial<AttemptStamps> & { referenceTimeMs: number },
): AttemptStamps => {
  position += 1n;
  const serverTimeMs = overrides.serverTimeMs ?? overrides.referenceTimeMs;
  return {
    attemptId: `${customerName}-id`,
    customerName,
    serverId: 'server-1',
    localDecision: 'confirmed',
    serverTimeMs,
    ntpCorrectedTimeMs: overrides.ntpCorrectedTimeMs ?? overrides.referenceTimeMs,
    errorBoundMs: 1,
    hlc: String(serverTimeMs).padStart(16, '0'),
    logPosition: position,
    ...overrides,
  };
};

describe('analyseSeat', () => {
  it('has nothing to say about a seat nobody asked for', () => {
    expect(analyseSeat([])).toBeNull();
  });

  it('a single attempt is no conflict and wins by ntp_corrected', () => {
    const ana = stamps('ana', { referenceTimeMs: t0 });
    const analysis = analyseSeat([ana])!;
    expect(analysis.kinds).toEqual([]);
    expect(analysis.authoritative).toEqual({ winner: ana, decidedBy: 'ntp_corrected' });
  });

  it('a skew that flips the order is an inversion, resolved by corrected time', () => {
    // Ana arrives first in truth, but her server runs 20 s behind Bob's.
    const ana = stamps('ana', { referenceTimeMs: t0, serverTimeMs: t0 - 20_000 + 25_000 });
    const bob = stamps('bob', { referenceTimeMs: t0 + 1000, serverTimeMs: t0 + 1000 - 10_000 });
    const analysis = analyseSeat([bob, ana])!;
    expect(analysis.kinds).toEqual(['contention', 'inversion']);
    expect(analysis.winners.server_clock.customerName).toBe('bob');
    expect(analysis.winners.ntp_corrected.customerName).toBe('ana');
    expect(analysis.winners.truth.customerName).toBe('ana');
    expect(analysis.authoritative.winner.customerName).toBe('ana');
  });

  it('corrected times 3 ms apart with 20 ms bounds are ambiguous: log order decides', () => {
    const first = stamps('late-in-log', { referenceTimeMs: t0 + 3, errorBoundMs: 20 });
    const second = stamps('early-by-clock', { referenceTimeMs: t0, errorBoundMs: 20, logPosition: 99n });
    const analysis = analyseSeat([first, second])!;
    expect(analysis.kinds).toContain('ambiguous');
    expect(analysis.winners.ntp_corrected.customerName).toBe('early-by-clock');
    expect(analysis.authoritative).toEqual({ winner: first, decidedBy: 'log_order' });
  });

  it('attempts further apart than their bounds are only contention', () => {
    const a = stamps('a', { referenceTimeMs: t0, errorBoundMs: 20 });
    const b = stamps('b', { referenceTimeMs: t0 + 100, errorBoundMs: 20 });
    expect(analyseSeat([a, b])!.kinds).toEqual(['contention']);
  });

  it('equal timestamps fall back to log order in every strategy', () => {
    const a = stamps('a', { referenceTimeMs: t0, hlc: 'x' });
    const b = stamps('b', { referenceTimeMs: t0, hlc: 'x' });
    const analysis = analyseSeat([b, a])!;
    for (const winner of Object.values(analysis.winners)) expect(winner.customerName).toBe('a');
  });
});
