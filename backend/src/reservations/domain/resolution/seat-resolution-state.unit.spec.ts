import fc from 'fast-check';
import type { AttemptFacts } from '../attempt-facts';
import { UNBOUNDED_ERROR_MS } from '../clock-reading';
import { resolveSeat } from './resolve-seat';
import {
  addAttempts,
  resolutionStateOf,
  settleState,
  verdictOf,
  type SeatResolutionState,
} from './seat-resolution-state';

const T0 = 1_700_000_000_000;
const WINDOW_MS = 2000;

const boundArbitrary = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 50 }),
  fc.integer({ min: 100, max: 3000 }),
  fc.constant(UNBOUNDED_ERROR_MS),
);

/** A seat's attempts in log order: corrected times around the window's edges, bounds of every size. */
const seatArbitrary = fc
  .array(
    fc.record({
      atMs: fc.integer({ min: -3000, max: 6000 }),
      boundMs: boundArbitrary,
      serverSkewMs: fc.integer({ min: -20_000, max: 20_000 }),
      server: fc.integer({ min: 1, max: 4 }),
      confirmed: fc.boolean(),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((specs) =>
    specs.map((spec, index): AttemptFacts => ({
      attemptId: `a${index}`,
      customerName: `c${index}`,
      serverId: `server-${spec.server}`,
      localDecision: spec.confirmed ? 'confirmed' : 'rejected',
      serverTimeMs: T0 + spec.atMs + spec.serverSkewMs,
      ntpCorrectedTimeMs: T0 + spec.atMs,
      errorBoundMs: spec.boundMs,
      hlc: `${String(T0 + spec.atMs + spec.serverSkewMs).padStart(16, '0')}.${index}`,
      logPosition: BigInt(10 * (index + 1)),
    })),
  );

interface Scenario {
  readonly attempts: AttemptFacts[];
  /** Batch boundaries: indexes after which a batch ends. */
  readonly cuts: number[];
  /** Settlement after attempt `settleAfter`, with the authority having read `readLag` attempts less. */
  readonly settlement: { readonly after: number; readonly readLag: number } | null;
}

const scenarioArbitrary = seatArbitrary.chain((attempts) =>
  fc.record({
    attempts: fc.constant(attempts),
    cuts: fc.uniqueArray(fc.integer({ min: 0, max: attempts.length - 1 }), { maxLength: 8 }),
    settlement: fc.option(
      fc.record({ after: fc.integer({ min: 0, max: attempts.length - 1 }), readLag: fc.integer({ min: 0, max: 3 }) }),
    ),
  }),
);

/** Folds the attempts batch by batch, settling where the scenario says; a reload recomputes from everything so far. */
const foldIncrementally = (scenario: Scenario) => {
  const { attempts, settlement } = scenario;
  // The authority decides having read at least the seat's first attempt.
  const cutoffOf = (after: number, readLag: number) => attempts[Math.max(0, after - readLag)]!.logPosition;
  const boundaries = new Set([...scenario.cuts, attempts.length - 1, ...(settlement ? [settlement.after] : [])]);
  let state: SeatResolutionState<AttemptFacts> | null = null;
  let consideredUpTo: bigint | null = null;
  let reloads = 0;
  let batch: AttemptFacts[] = [];
  attempts.forEach((attempt, index) => {
    batch.push(attempt);
    if (!boundaries.has(index)) return;
    const folded = addAttempts(state, batch, WINDOW_MS);
    state = folded === 'reload' ? resolutionStateOf(attempts.slice(0, index + 1), WINDOW_MS, consideredUpTo) : folded;
    if (folded === 'reload') reloads += 1;
    batch = [];
    if (settlement && settlement.after === index && consideredUpTo === null) {
      consideredUpTo = cutoffOf(settlement.after, settlement.readLag);
      const settled = settleState(state!, consideredUpTo);
      if (settled === 'reload') reloads += 1;
      state =
        settled === 'reload' ? resolutionStateOf(attempts.slice(0, index + 1), WINDOW_MS, consideredUpTo) : settled;
    }
  });
  return { state: state!, consideredUpTo, reloads };
};

describe('the incremental seat resolution equals the batch one', () => {
  it('on random seats, batch splits and settlements (fast-check)', () => {
    let totalReloads = 0;
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const { state, consideredUpTo, reloads } = foldIncrementally(scenario);
        totalReloads += reloads;
        expect(state).toEqual(resolutionStateOf(scenario.attempts, WINDOW_MS, consideredUpTo));
        const batch = resolveSeat({ attempts: scenario.attempts, windowMs: WINDOW_MS, consideredUpTo })!;
        const verdict = verdictOf(state);
        expect(verdict.kinds).toEqual(batch.kinds);
        expect(verdict.authoritative.winner.attemptId).toBe(batch.authoritative.winner.attemptId);
        expect(verdict.authoritative.decidedBy).toBe(batch.authoritative.decidedBy);
        expect(verdict.closesAtMs).toBe(batch.window.closesAtMs);
      }),
      { numRuns: 2000, seed: 20261201 },
    );
    // The property is only interesting if the slow path was taken sometimes, and the fast path mostly.
    expect(totalReloads).toBeGreaterThan(0);
  });

  it('asks for a reload when an earlier anchor moves the close before an attempt that competed', () => {
    const first = resolutionStateOf(
      [
        { ...base('a', 0, 500), logPosition: 1n },
        { ...base('b', 2300, 10), logPosition: 2n },
      ],
      WINDOW_MS,
    )!;
    expect(first.competingCount).toBe(2);
    // c has c + b = 5: the close moves from 2500 to 2005, and b's interval starts at 2290.
    expect(addAttempts(first, [{ ...base('c', 0, 5), logPosition: 3n }], WINDOW_MS)).toBe('reload');
  });

  it('asks for a reload when the authority decided before an attempt already folded in', () => {
    const state = resolutionStateOf(
      [
        { ...base('a', 0, 5), logPosition: 1n },
        { ...base('b', 10, 5), logPosition: 2n },
      ],
      WINDOW_MS,
    )!;
    expect(settleState(state, 1n)).toBe('reload');
    expect(settleState(state, 2n)).toEqual({ ...state, consideredUpTo: 2n });
  });
});

function base(name: string, atMs: number, boundMs: number): AttemptFacts {
  return {
    attemptId: name,
    customerName: name,
    serverId: 'server-1',
    localDecision: 'confirmed',
    serverTimeMs: T0 + atMs,
    ntpCorrectedTimeMs: T0 + atMs,
    errorBoundMs: boundMs,
    hlc: String(T0 + atMs),
    logPosition: 0n,
  };
}
