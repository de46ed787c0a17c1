import fc from 'fast-check';
import { UNBOUNDED_ERROR_MS } from '../domain/clock-reading';
import { resolutionStateOf } from '../domain/resolution/seat-resolution-state';
import type { ProjectedAttempt } from './attempt-row';
import { decodeSeatAnalysis, encodeSeatAnalysis, scoreAttempts, type SeatAnalysis } from './seat-analysis';

const T0 = 1_700_000_000_000;
const WINDOW_MS = 2000;

/** A seat's attempts in log order, some close enough to compete, with every kind of bound and sync epoch. */
const attemptsArbitrary = fc
  .array(
    fc.record({
      atMs: fc.integer({ min: -3000, max: 6000 }),
      boundMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 }), fc.constant(UNBOUNDED_ERROR_MS)),
      skewMs: fc.integer({ min: -20_000, max: 20_000 }),
      truthLagMs: fc.integer({ min: -500, max: 500 }),
      server: fc.integer({ min: 1, max: 4 }),
      confirmed: fc.boolean(),
      syncEpoch: fc.option(fc.integer({ min: 0, max: 5 })),
      // A real clock's truth known to ±u; absent for simulated clocks.
      referenceUncertaintyMs: fc.option(fc.double({ min: 0.001, max: 5, noNaN: true }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((specs) =>
    specs.map((spec, index): ProjectedAttempt => ({
      attemptId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      customerName: `customer ${index}`,
      serverId: `server-${spec.server}`,
      localDecision: spec.confirmed ? 'confirmed' : 'rejected',
      serverTimeMs: T0 + spec.atMs + spec.skewMs,
      // JSON has no −0, and the read model has none to keep.
      estimatedOffsetMs: -spec.skewMs || 0,
      errorBoundMs: spec.boundMs,
      ntpCorrectedTimeMs: T0 + spec.atMs,
      hlc: `${String(T0 + spec.atMs + spec.skewMs).padStart(16, '0')}.${index}`,
      referenceTimeMs: T0 + spec.atMs + spec.truthLagMs,
      logPosition: BigInt(1_000_000 * (index + 1)),
      syncEpoch: spec.syncEpoch,
      ...(spec.referenceUncertaintyMs !== undefined ? { referenceUncertaintyMs: spec.referenceUncertaintyMs } : {}),
    })),
  );

const analysisOf = (attempts: readonly ProjectedAttempt[], settledAfter: number | null): SeatAnalysis => {
  const consideredUpTo =
    settledAfter === null ? null : attempts[Math.min(settledAfter, attempts.length - 1)]!.logPosition;
  const resolution = resolutionStateOf(attempts, WINDOW_MS, consideredUpTo);
  if (!resolution) throw new Error('a seat with attempts has a resolution');
  return { resolution, scoring: scoreAttempts(null, attempts) };
};

const settledAfterArbitrary = fc.option(fc.integer({ min: 0, max: 59 }));

describe('the stored seat analysis (rm_seats.analysis)', () => {
  it('given any seat, when stored and loaded, then the analysis is the same', () => {
    fc.assert(
      fc.property(attemptsArbitrary, settledAfterArbitrary, (attempts, settledAfter) => {
        const analysis = analysisOf(attempts, settledAfter);
        expect(decodeSeatAnalysis(JSON.stringify(encodeSeatAnalysis(analysis)))).toEqual(analysis);
      }),
    );
  });

  it('given any seat, then it stores each attempt it names once', () => {
    fc.assert(
      fc.property(attemptsArbitrary, settledAfterArbitrary, (attempts, settledAfter) => {
        const { resolution, scoring } = analysisOf(attempts, settledAfter);
        const named = [
          ...(resolution.anchor ? [resolution.anchor] : []),
          ...Object.values(resolution.winners),
          ...resolution.candidates,
          ...resolution.front,
          scoring.trulyFirst,
        ];
        const stored = encodeSeatAnalysis({ resolution, scoring });
        expect(stored.attempts.map(([attemptId]) => attemptId).sort()).toEqual(
          [...new Set(named.map((attempt) => attempt.attemptId))].sort(),
        );
      }),
    );
  });

  it('given a seat whose attempts repeat in every role, then it is a fraction of the size of naming them in place', () => {
    const attempts = fc.sample(attemptsArbitrary, { numRuns: 1, seed: 7 })[0]!;
    const analysis = analysisOf(attempts, null);
    const stored = encodeSeatAnalysis(analysis);
    const inPlace = JSON.stringify(
      {
        ...stored,
        attempts: undefined,
        anchor: analysis.resolution.anchor,
        winners: analysis.resolution.winners,
        candidates: analysis.resolution.candidates,
        front: analysis.resolution.front,
        truly_first: analysis.scoring.trulyFirst,
      },
      (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
    );
    expect(JSON.stringify(stored).length).toBeLessThan(inPlace.length / 2);
  });

  it('given an analysis of an older model version (v2), then it loads as none, so the projection recomputes it', () => {
    expect(decodeSeatAnalysis(JSON.stringify({ v: 2, window_ms: 2000, attempts_count: 1 }))).toBeNull();
    expect(decodeSeatAnalysis(null)).toBeNull();
  });

  it('given an analysis that names an attempt it does not store, then loading it fails loudly', () => {
    const stored = encodeSeatAnalysis(analysisOf(fc.sample(attemptsArbitrary, { numRuns: 1, seed: 3 })[0]!, null));
    expect(() => decodeSeatAnalysis({ ...stored, truly_first: stored.attempts.length })).toThrow(
      `seat analysis names attempt ${stored.attempts.length} of ${stored.attempts.length}`,
    );
  });
});
