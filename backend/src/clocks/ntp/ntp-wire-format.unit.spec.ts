import fc from 'fast-check';
import { buildClientRequest, describeReferenceId, parseReplyHeader } from './ntp-packet';
import {
  InvalidNtpServerError,
  formatNtpServerAddress,
  parseNtpServerAddress,
  parseNtpServerList,
} from './ntp-server-address';
import { epochMsToNtpTimestamp, ntpDifferenceMs, ntpTimestampToEpochMs } from './ntp-timestamp';

describe('NTP 64-bit timestamps', () => {
  it('encodes the Unix epoch as 2 208 988 800 s since 1900', () => {
    expect(epochMsToNtpTimestamp(0)).toBe(2_208_988_800n << 32n);
    expect(epochMsToNtpTimestamp(1500)).toBe((2_208_988_801n << 32n) + (1n << 31n));
  });

  it('round-trips epoch ms to well below a microsecond, across the 2036 era rollover', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 4_000_000_000_000, noNaN: true }), (epochMs) => {
        expect(Math.abs(ntpTimestampToEpochMs(epochMsToNtpTimestamp(epochMs)) - epochMs)).toBeLessThan(0.001);
      }),
    );
    const afterRollover = Date.UTC(2036, 1, 7, 6, 28, 17);
    expect(epochMsToNtpTimestamp(afterRollover) >> 32n).toBeLessThan(10n);
    expect(ntpTimestampToEpochMs(epochMsToNtpTimestamp(afterRollover))).toBeCloseTo(afterRollover, 3);
  });

  it('subtracts nearby timestamps exactly, keeping sub-ms precision', () => {
    const t = 1_750_000_000_123.25;
    expect(ntpDifferenceMs(epochMsToNtpTimestamp(t + 0.0625), epochMsToNtpTimestamp(t))).toBeCloseTo(0.0625, 6);
    expect(ntpDifferenceMs(epochMsToNtpTimestamp(t - 3500), epochMsToNtpTimestamp(t))).toBeCloseTo(-3500, 6);
  });
});

describe('NTP packets', () => {
  it('builds a 48-byte version 4 client request carrying our transmit timestamp', () => {
    const request = buildClientRequest(0x0123456789abcdefn);
    expect(request).toHaveLength(48);
    expect(request[0]).toBe(0x23);
    expect(request.readBigUInt64BE(40)).toBe(0x0123456789abcdefn);
    expect(parseReplyHeader(request)).toMatchObject({
      leapIndicator: 0,
      version: 4,
      mode: 3,
      transmitTimestamp: 0x0123456789abcdefn,
    });
  });

  it('shows reference ids as ASCII at stratum 0–1 and as an address above', () => {
    expect(describeReferenceId(1, Buffer.from('GPS\0'))).toBe('GPS');
    expect(describeReferenceId(3, Buffer.from([192, 0, 2, 7]))).toBe('192.0.2.7');
  });
});

describe('NTP_SERVER values', () => {
  it.each([
    ['pool.ntp.org', { host: 'pool.ntp.org', port: 123 }],
    ['127.0.0.1:11123', { host: '127.0.0.1', port: 11123 }],
    [' time.example:123 ', { host: 'time.example', port: 123 }],
    ['[::1]:11123', { host: '::1', port: 11123 }],
    ['::1', { host: '::1', port: 123 }],
  ])('%s', (value, expected) => {
    expect(parseNtpServerAddress(value)).toEqual(expected);
  });

  it.each(['', 'pool.ntp.org:0', 'pool.ntp.org:70000', 'pool.ntp.org:abc', ':123'])('rejects "%s"', (value) => {
    expect(() => parseNtpServerAddress(value)).toThrow(InvalidNtpServerError);
  });

  it('formats IPv6 with brackets', () => {
    expect(formatNtpServerAddress({ host: '::1', port: 123 })).toBe('[::1]:123');
  });
});

describe('NTP_SERVER lists', () => {
  it('splits on commas, keeping every address form', () => {
    expect(parseNtpServerList('pool.ntp.org, 127.0.0.1:11123,[::1]:11123,::2')).toEqual([
      { host: 'pool.ntp.org', port: 123 },
      { host: '127.0.0.1', port: 11123 },
      { host: '::1', port: 11123 },
      { host: '::2', port: 123 },
    ]);
  });

  it.each([
    ['a.example,', /empty/],
    ['a.example,a.example:123', /a\.example:123 is listed twice/],
    [Array.from({ length: 17 }, (_, i) => `s${i}.example`).join(','), /more than 16 sources/],
  ])('rejects %j', (value, message) => {
    expect(() => parseNtpServerList(value)).toThrow(message);
  });
});
