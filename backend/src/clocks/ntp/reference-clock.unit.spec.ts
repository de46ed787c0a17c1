import { NtpDisciplinedReferenceClock, VirtualReferenceClock } from './reference-clock';
import { NtpQueryError } from './ntp-query-error';
import type { NtpSample } from './sntp-client';

const sample = (offsetMs: number, roundTripDelayMs: number): NtpSample => ({
  server: 'ntp.test:123',
  address: '192.0.2.1',
  offsetMs,
  roundTripDelayMs,
  stratum: 2,
  leapIndicator: 0,
  version: 4,
  referenceId: '192.0.2.2',
  precisionLog2: -20,
  rootDelayMs: 1,
  rootDispersionMs: 1,
  hostClockUncertaintyMs: 0.001,
  rootDistanceMs: roundTripDelayMs / 2 + 1,
  authenticated: false,
  ignoredDatagrams: 0,
  timestamps: { t1: 0, t2: 0, t3: 0, t4: 0 },
  rawTimestamps: { t1: 0n, t2: 0n, t3: 0n, t4: 0n },
});

describe('VirtualReferenceClock', () => {
  it('moves only when told to, and only forward when advanced', () => {
    const clock = new VirtualReferenceClock(1_700_000_000_000);
    expect(clock.nowMs()).toBe(1_700_000_000_000);
    expect(clock.advance(250)).toBe(1_700_000_000_250);
    clock.set(5);
    expect(clock.nowMs()).toBe(5);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(clock.status()).toEqual({
      synchronized: true,
      source: 'virtual',
      offsetMs: 0,
      roundTripDelayMs: 0,
      stratum: 0,
      lastSyncAt: 5,
    });
  });
});

describe('NtpDisciplinedReferenceClock (stubbed queries)', () => {
  it('keeps the sample with the smallest round-trip delay', async () => {
    const replies = [sample(9, 40), sample(2, 3), sample(-7, 25)];
    const clock = new NtpDisciplinedReferenceClock({
      server: 'ntp.test',
      samplesPerSync: 3,
      query: async () => replies.shift() as NtpSample,
      hostNowMs: () => 10_000,
    });
    expect(await clock.syncOnce()).toEqual({
      synchronized: true,
      source: 'ntp.test:123',
      offsetMs: 2,
      roundTripDelayMs: 3,
      stratum: 2,
      lastSyncAt: 10_000,
    });
    expect(clock.nowMs()).toBe(10_002);
  });

  it('stops at the first failure when nothing answered, reporting its reason', async () => {
    let queries = 0;
    const clock = new NtpDisciplinedReferenceClock({
      server: '127.0.0.1:11123',
      query: async () => {
        queries += 1;
        throw new NtpQueryError(
          'kiss-of-death',
          '127.0.0.1:11123',
          "NTP server 127.0.0.1:11123 sent a Kiss-o'-Death: RATE",
          'RATE',
        );
      },
      hostNowMs: () => 42,
    });
    expect(await clock.syncOnce()).toEqual({
      synchronized: false,
      source: '127.0.0.1:11123',
      reason: "NTP server 127.0.0.1:11123 sent a Kiss-o'-Death: RATE",
      lastAttemptAt: 42,
    });
    expect(queries).toBe(1);
  });

  it('turns an unexpected exception into an unsynchronised status instead of throwing', async () => {
    const clock = new NtpDisciplinedReferenceClock({
      server: 'ntp.test',
      query: () => Promise.reject(new Error('boom')),
    });
    const status = await clock.syncOnce();
    expect(status).toMatchObject({ synchronized: false, reason: 'NTP query to ntp.test:123 failed: Error: boom' });
  });

  it('shares one sync between concurrent callers', async () => {
    let queries = 0;
    const clock = new NtpDisciplinedReferenceClock({
      server: 'ntp.test',
      samplesPerSync: 1,
      query: async () => ((queries += 1), sample(1, 1)),
    });
    await Promise.all([clock.syncOnce(), clock.syncOnce(), clock.syncOnce()]);
    expect(queries).toBe(1);
  });
});
