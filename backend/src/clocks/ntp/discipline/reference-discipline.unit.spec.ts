import fc from 'fast-check';
import {
  acceptMeasurement,
  appliedOffsetAt,
  appliedUncertaintyAt,
  frequencyEstimate,
  initialDiscipline,
  predictionUncertaintyAt,
  slewRemainingAt,
  type DisciplineState,
} from './reference-discipline';

const T0 = 1_000_000;
const fresh = (): DisciplineState => initialDiscipline(500);
const measured = (offsetMs: number, atMs: number, uncertaintyMs = 0.05) => ({ offsetMs, atMs, uncertaintyMs });
const reading = (state: DisciplineState, localMs: number): number => localMs + appliedOffsetAt(state, localMs);

describe('reference discipline: first sync', () => {
  it('given nothing synced yet, the local clock stands in (offset 0, unbounded uncertainty)', () => {
    expect(appliedOffsetAt(fresh(), T0)).toBe(0);
    expect(predictionUncertaintyAt(fresh(), T0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('when the first sync is ahead, it steps: time only jumps forward', () => {
    const state = acceptMeasurement(fresh(), measured(3500, T0), true);
    expect(appliedOffsetAt(state, T0)).toBe(3500);
    expect(slewRemainingAt(state, T0)).toBe(0);
  });

  it('when the first sync is behind and nothing was handed out yet, it steps back', () => {
    expect(appliedOffsetAt(acceptMeasurement(fresh(), measured(-3500, T0), false), T0)).toBe(-3500);
  });

  it('a second sync before any reading was handed out steps too: a loose first answer is replaced at once', () => {
    const loose = acceptMeasurement(fresh(), measured(-3506, T0, 6.4), false);
    const tight = acceptMeasurement(loose, measured(-3500.5, T0 + 2_000, 0.05), false);
    expect(appliedOffsetAt(tight, T0 + 2_000)).toBe(-3500.5);
    expect(slewRemainingAt(tight, T0 + 2_000)).toBe(0);
    expect(appliedUncertaintyAt(tight, T0 + 2_000)).toBeCloseTo(0.05, 9);
  });

  it('a second sync after readings were handed out slews towards its target', () => {
    const first = acceptMeasurement(fresh(), measured(-3506, T0, 6.4), false);
    const second = acceptMeasurement(first, measured(-3500.5, T0 + 2_000, 0.05), true);
    expect(appliedOffsetAt(second, T0 + 2_000)).toBe(-3506);
    expect(slewRemainingAt(second, T0 + 2_000)).toBeCloseTo(5.5, 9);
  });

  it('when the first sync is behind but readings were handed out, it slews back at 500 ppm instead', () => {
    const state = acceptMeasurement(fresh(), measured(-3500, T0), true);
    expect(appliedOffsetAt(state, T0)).toBe(0);
    expect(appliedOffsetAt(state, T0 + 10_000)).toBeCloseTo(-5, 9);
    expect(appliedOffsetAt(state, T0 + 7_000_000)).toBeCloseTo(-3500, 9);
    expect(appliedUncertaintyAt(state, T0)).toBeGreaterThanOrEqual(3500);
  });
});

describe('reference discipline: holdover and return', () => {
  const synced = acceptMeasurement(fresh(), measured(3500, T0, 0.1), true);

  it('given no further sync, keeps the offset and grows the uncertainty at PHI (15 ppm)', () => {
    const tenMinutesLater = T0 + 600_000;
    expect(appliedOffsetAt(synced, tenMinutesLater)).toBe(3500);
    expect(predictionUncertaintyAt(synced, tenMinutesLater)).toBeCloseTo(0.1 + 15e-6 * 600_000, 9);
  });

  it('a looser measurement that agrees with the held estimate is kept out: the estimate stays as tight', () => {
    const at = T0 + 2_000;
    const loose = acceptMeasurement(synced, measured(3503, at, 4.5), true);
    expect(loose).toBe(synced);
    expect(appliedOffsetAt(loose, at)).toBe(3500);
    expect(appliedUncertaintyAt(loose, at)).toBeCloseTo(0.1 + 15e-6 * 2_000, 9);
  });

  it('a looser measurement that disagrees with the held estimate wins: the held bound was wrong', () => {
    const at = T0 + 2_000;
    const disagreeing = acceptMeasurement(synced, measured(3510, at, 4.5), true);
    expect(slewRemainingAt(disagreeing, at)).toBe(10);
    expect(appliedUncertaintyAt(disagreeing, at)).toBeCloseTo(14.5, 9);
  });

  it('during a slew, a looser answer that agrees with the target is kept out: the slew is lag, not doubt', () => {
    const slewing = acceptMeasurement(synced, measured(3510, T0 + 1_000, 0.05), true);
    const at = T0 + 2_000;
    expect(slewRemainingAt(slewing, at)).toBeCloseTo(9.5, 9);
    expect(acceptMeasurement(slewing, measured(3507, at, 4.5), true)).toBe(slewing);
  });

  it('an answer taken in after readings that followed its measurement slews from the offset in use then', () => {
    // Found by an independent checker: measured at T0+60 s, taken in 100 ms later, with a reading between.
    const measuredAt = T0 + 60_000;
    const handedOutAt = measuredAt + 100;
    const before = handedOutAt + appliedOffsetAt(synced, handedOutAt);
    const taken = acceptMeasurement(synced, measured(3499.8, measuredAt, 0.1), true, handedOutAt);
    const after = handedOutAt + 0.01 + appliedOffsetAt(taken, handedOutAt + 0.01);
    expect(after).toBeGreaterThan(before);
    expect(slewRemainingAt(taken, handedOutAt)).toBeCloseTo(-0.2, 3); // and a frequency of -3.3 ppm
  });

  it('a measurement the prediction cannot explain (the source stepped) measures no frequency across it', () => {
    // Found by an independent checker: a 100 ms step over 10 minutes read as 166 ppm, and holdover then lied.
    const steady = acceptMeasurement(synced, measured(3500.05, T0 + 600_000, 0.05), true);
    expect(frequencyEstimate(steady)?.frequencyPpm).toBeCloseTo(0.0833, 3);
    const stepped = acceptMeasurement(steady, measured(3600, T0 + 1_200_000, 0.05), true);
    // The oscillator did not step: the rate measured before it stays.
    expect(frequencyEstimate(stepped)).toEqual(frequencyEstimate(steady));
    const again = acceptMeasurement(stepped, measured(3600.03, T0 + 1_800_000, 0.05), true);
    expect(frequencyEstimate(again)?.frequencyPpm).toBeCloseTo(0.05, 6);
  });

  it('a source step before any rate was measured leaves none measured', () => {
    const stepped = acceptMeasurement(synced, measured(3600, T0 + 600_000, 0.05), true);
    expect(frequencyEstimate(stepped)).toBeNull();
  });

  it('a tighter measurement that agrees is taken in', () => {
    const at = T0 + 2_000;
    const tighter = acceptMeasurement(synced, measured(3500.08, at, 0.02), true);
    expect(slewRemainingAt(tighter, at)).toBeCloseTo(0.08, 9);
    expect(predictionUncertaintyAt(tighter, at)).toBe(0.02);
  });

  it('when sync returns with another offset, slews to it at the bounded rate: no step', () => {
    const backAt = T0 + 600_000;
    // An uncertainty too wide for a frequency over 10 minutes, so only the slew moves the offset here.
    const returned = acceptMeasurement(synced, measured(3550, backAt, 10), true);
    expect(frequencyEstimate(returned)).toBeNull();
    expect(appliedOffsetAt(returned, backAt)).toBe(3500);
    expect(slewRemainingAt(returned, backAt)).toBe(50);
    // 500 ppm: 0.5 ms per second, so 50 ms take 100 s.
    expect(appliedOffsetAt(returned, backAt + 20_000)).toBeCloseTo(3510, 9);
    expect(appliedOffsetAt(returned, backAt + 100_000)).toBeCloseTo(3550, 9);
    expect(appliedOffsetAt(returned, backAt + 200_000)).toBeCloseTo(3550, 9);
  });

  it('when syncs are far enough apart to trust the rate, measures a frequency and follows it in holdover', () => {
    const second = acceptMeasurement(synced, measured(3500 + 0.6, T0 + 60_000, 0.1), true); // +10 ppm
    expect(frequencyEstimate(second)?.frequencyPpm).toBeCloseTo(10, 6);
    // (0.1 + 0.1) / 60 s = 3.3 ppm of possible error in that estimate, added to PHI.
    expect(frequencyEstimate(second)?.errorPpm).toBeCloseTo(3.333, 2);
    expect(appliedOffsetAt(second, T0 + 660_000) - slewRemainingAt(second, T0 + 660_000)).toBeCloseTo(3506.6, 6);
  });

  it('when the syncs are too noisy for their spacing, keeps no frequency (noise would fake one)', () => {
    const noisy = acceptMeasurement(synced, measured(3520, T0 + 60_000, 20), true);
    expect(frequencyEstimate(noisy)).toBeNull();
  });

  it('refuses a slew rate that could make time run backwards', () => {
    expect(() => initialDiscipline(1e6)).toThrow(RangeError);
    expect(() => initialDiscipline(0)).toThrow(RangeError);
  });
});

describe('reference discipline: monotonic', () => {
  it('property: across any sequence of syncs (and gaps between them), readings never decrease', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gapMs: fc.integer({ min: 1, max: 600_000 }),
            offsetMs: fc.double({ min: -5000, max: 5000, noNaN: true }),
            uncertaintyMs: fc.double({ min: 0.01, max: 50, noNaN: true }),
            synced: fc.boolean(),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        (events) => {
          let state = fresh();
          let localMs = T0;
          let previous = reading(state, localMs);
          for (const event of events) {
            // Readings along the gap, then the sync (if any) at its end.
            for (const fraction of [0.25, 0.5, 1]) {
              const next = reading(state, localMs + event.gapMs * fraction);
              expect(next).toBeGreaterThanOrEqual(previous);
              previous = next;
            }
            localMs += event.gapMs;
            if (event.synced) {
              state = acceptMeasurement(state, measured(event.offsetMs, localMs, event.uncertaintyMs), true);
              expect(reading(state, localMs)).toBeGreaterThanOrEqual(previous);
            }
          }
        },
      ),
    );
  });
});
