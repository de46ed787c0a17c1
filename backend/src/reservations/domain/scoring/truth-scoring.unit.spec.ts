import { boundExcessMs, boundViolated, holderVerdictOf, type ScoredAttempt } from './truth-scoring';

/** An attempt at corrected time c ± b that truly happened at `truth`, recorded at log position `position`. */
const attempt = (id: string, c: number, b: number, truth: number, position: number): ScoredAttempt => ({
  attemptId: id,
  customerName: id,
  serverId: `server-${id}`,
  localDecision: 'confirmed',
  serverTimeMs: c,
  ntpCorrectedTimeMs: c,
  errorBoundMs: b,
  hlc: `${c}.0.${id}`,
  logPosition: BigInt(position),
  referenceTimeMs: truth,
});

describe('holder verdict', () => {
  it('given the truly first attempt holds the seat, then it is correct', () => {
    const first = attempt('a', 1_000, 10, 1_000, 1);
    expect(
      holderVerdictOf({
        holderAttemptId: 'a',
        holder: first,
        decidedBy: 'ntp_corrected',
        trulyFirst: first,
        anchor: first,
        consideredUpTo: 5n,
      }),
    ).toBe('correct');
  });

  it('given the truly first, the holder and the anchor carried true overlapping bounds, when log order decided, then the holder is ambiguous (a wrong bound elsewhere on the seat is not its cause)', () => {
    const first = attempt('a', 1_000, 50, 1_010, 2);
    const holder = attempt('b', 1_020, 50, 1_030, 1);
    expect(
      holderVerdictOf({
        holderAttemptId: holder.attemptId,
        holder,
        decidedBy: 'log_order',
        trulyFirst: first,
        anchor: first,
        consideredUpTo: 3n,
      }),
    ).toBe('ambiguous');
  });

  it('given the holder’s own bound did not hold, then the verdict blames the bound', () => {
    const first = attempt('a', 1_000, 5, 1_000, 2);
    const holder = attempt('b', 990, 5, 1_200, 1);
    expect(
      holderVerdictOf({
        holderAttemptId: holder.attemptId,
        holder,
        decidedBy: 'ntp_corrected',
        trulyFirst: first,
        anchor: holder,
        consideredUpTo: 2n,
      }),
    ).toBe('bound_violation');
  });

  it('given the anchor’s bound did not hold, then the verdict blames the bound', () => {
    const anchor = attempt('z', 500, 5, 2_000, 1);
    const first = attempt('a', 1_000, 5, 1_000, 2);
    const holder = attempt('b', 505, 5, 2_100, 3);
    expect(
      holderVerdictOf({
        holderAttemptId: holder.attemptId,
        holder,
        decidedBy: 'ntp_corrected',
        trulyFirst: first,
        anchor,
        consideredUpTo: 3n,
      }),
    ).toBe('bound_violation');
  });

  it('given the truly first attempt reached the log after the cutoff, then it arrived late even when its bound was also wrong', () => {
    const holder = attempt('b', 1_000, 5, 1_000, 1);
    const first = attempt('a', 1_100, 5, 900, 7);
    expect(
      holderVerdictOf({
        holderAttemptId: holder.attemptId,
        holder,
        decidedBy: 'ntp_corrected',
        trulyFirst: first,
        anchor: holder,
        consideredUpTo: 4n,
      }),
    ).toBe('late_arrival');
  });

  it('given true bounds and time decided, when time picked a later attempt, then the rule itself is unexplained', () => {
    const first = attempt('a', 1_000, 5, 1_000, 1);
    const holder = attempt('b', 1_100, 5, 1_100, 2);
    expect(
      holderVerdictOf({
        holderAttemptId: holder.attemptId,
        holder,
        decidedBy: 'ntp_corrected',
        trulyFirst: first,
        anchor: first,
        consideredUpTo: 2n,
      }),
    ).toBe('unexplained');
  });
});

describe('a bound that did not hold', () => {
  const epochMs = 1_764_806_400_000; // 2025-12-04: one ulp is 2^-12 ms here

  it('given a truth one ulp outside a zero-width bound, then the bound held (below what the stored times can tell)', () => {
    const stamp = attempt('a', epochMs, 0, epochMs + 2 ** -12, 1);
    expect(boundViolated(stamp)).toBe(false);
    expect(boundExcessMs(stamp)).toBe(0);
  });

  it('given a truth 1 µs outside a zero-width bound, then the bound did not hold (the slack is below a µs)', () => {
    const stamp = attempt('a', epochMs, 0, epochMs + 0.001, 1);
    expect(boundViolated(stamp)).toBe(true);
    expect(boundExcessMs(stamp)).toBeCloseTo(0.001, 4); // 0.001 rounds to 4 ulps here
  });

  it('given a truth 5 µs outside a 0.1 ms bound, then the bound did not hold, by 5 µs', () => {
    const stamp = attempt('a', epochMs, 0.1, epochMs + 0.105, 1);
    expect(boundViolated(stamp)).toBe(true);
    expect(boundExcessMs(stamp)).toBeCloseTo(0.005, 3);
  });

  describe('when the reference time is itself known to ±u (a real clock)', () => {
    it.each([
      // bound, uncertainty, truth − corrected, violated, excess
      [1, 0.5, 1.4, false, 0],
      [1, 0.5, -1.4, false, 0],
      [1, 0.5, 1.5, false, 0],
      [1, 0.5, 1.6, true, 0.1],
      [1, 0, 1.4, true, 0.4],
    ])(
      'given a bound of %p ms, a truth known to ±%p ms and %p ms apart, then violated is %p (by %p ms)',
      (bound, uncertainty, apartMs, violated, excessMs) => {
        const stamp = { ...attempt('a', epochMs, bound, epochMs + apartMs, 1), referenceUncertaintyMs: uncertainty };
        expect(boundViolated(stamp)).toBe(violated);
        expect(boundExcessMs(stamp)).toBeCloseTo(excessMs, 3); // epoch-ms doubles: 1.6 is stored to an ulp (0.24 µs)
      },
    );
  });

  it('given an unbounded stamp, then no truth violates it', () => {
    expect(boundViolated(attempt('a', epochMs, Number.POSITIVE_INFINITY, epochMs + 60_000, 1))).toBe(false);
  });
});
