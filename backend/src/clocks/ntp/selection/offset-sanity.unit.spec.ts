import { checkOffsetSanity } from './offset-sanity';

const limits = { panicThresholdMs: 1000 * 1000, maxChangeMs: 1000 };
const HOUR_MS = 3_600_000;
const YEAR_MS = 365.25 * 24 * HOUR_MS;

describe('sanity checks on a measured offset', () => {
  it.each([
    ['+1 h', HOUR_MS],
    ['+10 years', 10 * YEAR_MS],
    ['−30 years', -30 * YEAR_MS],
    ['just over the threshold', 1000 * 1000 + 1],
    ['not a number', Number.NaN],
  ])(
    'refuses a server claiming %s against the host clock (panic threshold), even on the first sync',
    (_label, offsetMs) => {
      expect(checkOffsetSanity(offsetMs, limits, undefined)).toMatchObject({
        reason: 'panic-threshold',
        detail: expect.stringMatching(/beyond the panic threshold of 1000\.000 s/),
      });
    },
  );

  it('accepts a first sync anywhere within the threshold (a host clock may be seconds off)', () => {
    expect(checkOffsetSanity(-999_000, limits, undefined)).toBeUndefined();
    expect(checkOffsetSanity(3500, limits, undefined)).toBeUndefined();
  });

  it('given a held offset, refuses a later measurement that moves further than max change + the uncertainty', () => {
    const held = { predictedOffsetMs: 3500, uncertaintyMs: 5 };
    expect(checkOffsetSanity(3500 + 1004, limits, held)).toBeUndefined();
    expect(checkOffsetSanity(3500 + 1006, limits, held)).toMatchObject({
      reason: 'max-change',
      detail: expect.stringMatching(/moves 1\.006 s from the held 3\.500 s, more than the allowed 1\.005 s/),
    });
    expect(checkOffsetSanity(3500 - 1006, limits, held)?.reason).toBe('max-change');
  });

  it('given a long holdover, the grown uncertainty widens what a returning server may correct', () => {
    expect(checkOffsetSanity(3500 + 1500, limits, { predictedOffsetMs: 3500, uncertaintyMs: 600 })).toBeUndefined();
  });
});
