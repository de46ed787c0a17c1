import {
  clockTime,
  clockTimeOf,
  formatBoundMs,
  formatCount,
  formatHlc,
  formatMs,
  formatOffset,
  formatPpm,
  formatSignedMs,
  formatTruthUncertaintyMs,
  readHlc,
} from './format';

describe('one number and time format', () => {
  it('writes milliseconds with grouping, one decimal and the unit', () => {
    expect(formatMs(23280.14)).toBe('23,280.1 ms');
    expect(formatMs(-0.04)).toBe('0.0 ms');
    expect(formatMs(null)).toBe('—');
    expect(formatSignedMs(23280.2)).toBe('+23,280.2 ms');
    expect(formatSignedMs(-3)).toBe('-3.0 ms');
    expect(formatSignedMs(0.01)).toBe('0.0 ms');
  });

  it('writes an error bound with ±, and the one day the API records for no bound as "unbounded"', () => {
    expect(formatBoundMs(2.5)).toBe('±2.5 ms');
    expect(formatBoundMs(86_400_000)).toBe('unbounded');
    expect(formatBoundMs(null)).toBe('—');
  });

  it('writes a truth’s own uncertainty to 0.01 ms below a millisecond, and an unsynced reference’s as unknown', () => {
    expect(formatTruthUncertaintyMs(0.207)).toBe('±0.21 ms');
    expect(formatTruthUncertaintyMs(3.24)).toBe('±3.2 ms');
    expect(formatTruthUncertaintyMs(86_400_000)).toBe('unknown (unsynced reference)');
  });

  it('writes a clock offset in seconds past one second', () => {
    expect(formatOffset(23_280)).toBe('+23.3 s');
    expect(formatOffset(-8_120)).toBe('-8.1 s');
    expect(formatOffset(12.5)).toBe('+12.5 ms');
    expect(formatPpm(-452)).toBe('-452.0 ppm');
    expect(formatCount(1281359873)).toBe('1,281,359,873');
  });

  it('writes wall-clock times to the millisecond (the suite runs in UTC)', () => {
    expect(clockTime(Date.UTC(2025, 0, 1, 12, 0, 1, 234))).toBe('12:00:01.234');
    expect(clockTimeOf('2025-01-01T12:00:01.234Z')).toBe('12:00:01.234');
    expect(clockTimeOf(null)).toBe('—');
  });

  it('reads an HLC stamp as physical time plus a counter', () => {
    const stamp = `${String(Date.UTC(2025, 0, 1, 12, 0, 1, 234)).padStart(15, '0')}.0000000003.server-2`;
    expect(readHlc(stamp)).toEqual({
      physicalMs: Date.UTC(2025, 0, 1, 12, 0, 1, 234),
      counter: 3,
      serverId: 'server-2',
    });
    expect(formatHlc(stamp)).toBe('12:00:01.234 + 3');
    expect(formatHlc('not-a-stamp')).toBe('not-a-stamp');
  });
});
