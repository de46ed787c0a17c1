import fc from 'fast-check';
import { combineTruechimers, intersectIntervals, type IntervalCandidate } from './source-intersection';

const source = (id: string, offsetMs: number, rootDistanceMs = 4): IntervalCandidate => ({
  id,
  offsetMs,
  rootDistanceMs,
});

describe('selection of NTP sources by intersecting their intervals (RFC 5905 §11.2.1)', () => {
  it('given three sources of which one is 100 ms off, drops that falseticker', () => {
    const result = intersectIntervals([source('a', 3500), source('b', 3501), source('liar', 3600)]);
    expect(result).toMatchObject({ kind: 'majority', truechimers: ['a', 'b'], falsetickers: ['liar'] });
  });

  it('given three agreeing sources, keeps all three and the intersection of all intervals', () => {
    expect(intersectIntervals([source('a', 10), source('b', 11), source('c', 12)])).toEqual({
      kind: 'majority',
      lowMs: 8,
      highMs: 14,
      truechimers: ['a', 'b', 'c'],
      falsetickers: [],
    });
  });

  it('given one source, believes it (there is nothing to compare it with)', () => {
    expect(intersectIntervals([source('only', -3500, 2)])).toMatchObject({
      kind: 'majority',
      lowMs: -3502,
      highMs: -3498,
      truechimers: ['only'],
    });
  });

  it('given two sources that disagree, believes neither: no majority', () => {
    expect(intersectIntervals([source('a', 0), source('b', 3_600_000)])).toEqual({ kind: 'no-majority' });
  });

  it('given five sources with two liars on either side, keeps the three that agree', () => {
    const result = intersectIntervals([
      source('low-liar', -900),
      source('a', 2),
      source('b', 0),
      source('c', 5),
      source('high-liar', 700),
    ]);
    expect(result).toMatchObject({ kind: 'majority', falsetickers: ['low-liar', 'high-liar'] });
  });

  it('given two liars that agree with each other against three truechimers, the majority still wins', () => {
    const result = intersectIntervals([
      source('a', 0),
      source('b', 1),
      source('c', 2),
      source('x', 500),
      source('y', 501),
    ]);
    expect(result).toMatchObject({ kind: 'majority', truechimers: ['a', 'b', 'c'], falsetickers: ['x', 'y'] });
  });

  it('given intervals that only touch, they still intersect (a single point)', () => {
    expect(intersectIntervals([source('a', 0, 1), source('b', 2, 1)])).toMatchObject({
      kind: 'majority',
      lowMs: 1,
      highMs: 1,
    });
  });

  it('given no source, there is no majority', () => {
    expect(intersectIntervals([])).toEqual({ kind: 'no-majority' });
  });

  it('property: truechimers containing the truth survive, far-away liars (a minority) are dropped', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5000, max: 5000, noNaN: true }),
        fc.array(
          fc.record({
            error: fc.double({ min: -1, max: 1, noNaN: true }),
            width: fc.double({ min: 0.5, max: 20, noNaN: true }),
          }),
          { minLength: 1, maxLength: 7 },
        ),
        fc.array(fc.record({ side: fc.constantFrom(-1, 1), far: fc.double({ min: 100, max: 1e9, noNaN: true }) }), {
          maxLength: 6,
        }),
        (truthMs, honest, liars) => {
          fc.pre(liars.length * 2 < honest.length + liars.length);
          const truechimers = honest.map(({ error, width }, index) =>
            // error ∈ [−1, 1] of the width: each honest interval contains the truth.
            source(`t${index}`, truthMs + error * width, width),
          );
          const falsetickers = liars.map(({ side, far }, index) => source(`f${index}`, truthMs + side * far, 1));
          const result = intersectIntervals([...truechimers, ...falsetickers]);
          expect(result.kind).toBe('majority');
          if (result.kind !== 'majority') return;
          expect([...result.truechimers].sort()).toEqual(truechimers.map((c) => c.id).sort());
          const combined = combineTruechimers(truechimers);
          expect(Math.abs(combined.offsetMs - truthMs)).toBeLessThanOrEqual(combined.uncertaintyMs + 1e-9);
        },
      ),
    );
  });
});

describe('combining the truechimers (RFC 5905 §11.2.3)', () => {
  it('weights each offset by 1/λ, so the tighter source counts more', () => {
    const combined = combineTruechimers([source('tight', 10, 1), source('loose', 20, 4)]);
    expect(combined.offsetMs).toBeCloseTo((10 / 1 + 20 / 4) / (1 / 1 + 1 / 4), 9);
  });

  it('bounds the error by the tightest interval that still holds the combined offset', () => {
    expect(combineTruechimers([source('a', 10, 1), source('b', 10, 4)])).toEqual({ offsetMs: 10, uncertaintyMs: 1 });
    expect(() => combineTruechimers([])).toThrow(RangeError);
  });
});
