import fc from 'fast-check';
import { perfectClock, reconfigure, serverTime, trueSkewMs, type ClockConfig } from './clock-model';
import { createSeededRandom, deriveSeed, sampleJitterMs } from './seeded-random';

const base: ClockConfig = { ...perfectClock(1_000_000), offsetMs: 250 };

describe('clock model', () => {
  it('adds offset, drift since t0 and the jitter sample', () => {
    const drifting = { ...base, driftPpm: 100 };
    // 100 ppm over 60 s = 6 ms.
    expect(serverTime(drifting, 1_060_000, 0.5)).toBeCloseTo(1_060_000 + 250 + 6 + 0.5, 9);
    expect(serverTime(drifting, 1_000_000, 0)).toBe(1_000_250);
  });

  it('steps once reference time reaches step.atMs', () => {
    const stepping = { ...base, step: { atMs: 1_010_000, byMs: -4000 } };
    expect(serverTime(stepping, 1_009_999, 0)).toBe(1_009_999 + 250);
    expect(serverTime(stepping, 1_010_000, 0)).toBe(1_010_000 + 250 - 4000);
  });

  it('strobes between offsetMs and altOffsetMs every period', () => {
    const strobing = { ...base, strobe: { periodMs: 5000, altOffsetMs: -1200 } };
    const skewAt = (t: number): number => serverTime(strobing, t, 0) - t;
    expect(skewAt(1_000_000)).toBe(250);
    expect(skewAt(1_004_999)).toBe(250);
    expect(skewAt(1_005_000)).toBe(-1200);
    expect(skewAt(1_010_000)).toBe(250);
    expect(skewAt(999_000)).toBe(-1200);
  });
});

describe('seeded randomness', () => {
  it('the same seed yields the same sequence, in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const [a, b] = [createSeededRandom(seed), createSeededRandom(seed)];
        const drawsA = Array.from({ length: 50 }, () => a());
        expect(Array.from({ length: 50 }, () => b())).toEqual(drawsA);
        for (const draw of drawsA) {
          expect(draw).toBeGreaterThanOrEqual(0);
          expect(draw).toBeLessThan(1);
        }
      }),
    );
  });

  it('jitter is deterministic per seed and stays within ±jitterMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (seed, jitterMs) => {
          const [a, b] = [createSeededRandom(seed), createSeededRandom(seed)];
          for (let draw = 0; draw < 20; draw += 1) {
            const sample = sampleJitterMs(a, jitterMs);
            expect(sampleJitterMs(b, jitterMs)).toBe(sample);
            expect(Math.abs(sample)).toBeLessThanOrEqual(jitterMs);
          }
        },
      ),
    );
  });

  it('spreads draws over the whole range (rough uniformity check)', () => {
    const random = createSeededRandom(42);
    const buckets = new Array<number>(10).fill(0);
    for (let draw = 0; draw < 10_000; draw += 1) buckets[Math.floor(random() * 10)] += 1;
    for (const count of buckets) expect(count).toBeGreaterThan(850);
  });

  it('derives distinct, stable seeds from parts', () => {
    expect(deriveSeed(42, 'server-1')).toBe(deriveSeed(42, 'server-1'));
    expect(deriveSeed(42, 'server-1')).not.toBe(deriveSeed(42, 'server-2'));
    expect(deriveSeed('4', '2')).not.toBe(deriveSeed('42'));
  });
});

describe('reconfigure: a clock model change is continuous unless a step is asked for', () => {
  const t0 = 1_800_000_000_000;
  const drifting: ClockConfig = { ...perfectClock(t0), offsetMs: 250, driftPpm: 1000, jitterMs: 0 };
  const tenSecondsLater = t0 + 10_000;

  it('changing only the jitter keeps what the clock reads (point 5: it jumped −10 ms at 1000 ppm after 10 s)', () => {
    const changed = reconfigure(drifting, { jitterMs: 3 }, tenSecondsLater);
    expect(trueSkewMs(changed, tenSecondsLater)).toBeCloseTo(trueSkewMs(drifting, tenSecondsLater), 9);
    expect(changed.jitterMs).toBe(3);
  });

  it('changing the drift keeps the skew now and accrues at the new rate from now', () => {
    const changed = reconfigure(drifting, { driftPpm: -200 }, tenSecondsLater);
    expect(trueSkewMs(changed, tenSecondsLater)).toBeCloseTo(260, 9);
    expect(trueSkewMs(changed, tenSecondsLater + 5000)).toBeCloseTo(260 - 1, 9);
  });

  it('a strobe keeps its phase and its two offsets stay continuous', () => {
    const strobing: ClockConfig = { ...drifting, strobe: { periodMs: 4000, altOffsetMs: -500 } };
    for (const at of [t0 + 3000, t0 + 5000]) {
      const changed = reconfigure(strobing, { driftPpm: 0 }, at);
      expect(trueSkewMs(changed, at)).toBeCloseTo(trueSkewMs(strobing, at), 9);
    }
  });

  it('a new offset is a requested step: the clock reads reference + offset from now, drift counted from now', () => {
    const stepped = reconfigure(drifting, { offsetMs: -3000 }, tenSecondsLater);
    expect(trueSkewMs(stepped, tenSecondsLater)).toBe(-3000);
    expect(trueSkewMs(stepped, tenSecondsLater + 1000)).toBeCloseTo(-2999, 9);
  });

  it('a requested offset folds away a step already taken and keeps one still ahead', () => {
    const withStep = (atMs: number): ClockConfig => ({ ...drifting, step: { atMs, byMs: 4000 } });
    expect(reconfigure(withStep(t0 + 1000), { offsetMs: 0 }, tenSecondsLater).step).toBeUndefined();
    expect(reconfigure(withStep(t0 + 60_000), { offsetMs: 0 }, tenSecondsLater).step).toEqual({
      atMs: t0 + 60_000,
      byMs: 4000,
    });
  });
});
