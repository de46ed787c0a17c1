import { randomBytes } from 'node:crypto';
import { NtpDisciplinedReferenceClock } from './ntp-disciplined-reference-clock';
import { startFakeNtpServer, type FakeNtpServer, type FakeNtpServerOptions } from './testing/fake-ntp-server';

/**
 * Issue 13 point 3: the reference must not believe one lying server. The
 * liars are FAKE dgram NTP servers on loopback (no real server can be made
 * to lie); the client, sanity checks and selection are the real ones.
 */
const HOUR_MS = 3_600_000;
const YEAR_MS = 365.25 * 24 * HOUR_MS;

const servers: FakeNtpServer[] = [];
const fake = async (options: FakeNtpServerOptions): Promise<string> => {
  const server = await startFakeNtpServer(options);
  servers.push(server);
  return `127.0.0.1:${server.port}`;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const referenceOf = (server: string): NtpDisciplinedReferenceClock =>
  new NtpDisciplinedReferenceClock({ server, timeoutMs: 400, samplesPerSync: 2 });

describe('a lying NTP server is refused and reported (panic threshold: 1000 s against the host clock)', () => {
  it.each([
    ['+1 h', HOUR_MS, /offset 3600\.\d{3} s from the host clock is beyond the panic threshold of 1000\.000 s/],
    ['+10 years', 10 * YEAR_MS, /offset 315576000\.\d{3} s/],
    ['−30 years', -30 * YEAR_MS, /offset -946728000\.\d{3} s/],
  ])('a first sync against a server claiming %s stays unsynced, the lie reported', async (_label, skewMs, detail) => {
    const liar = await fake({ skewMs });
    const clock = referenceOf(liar);
    const status = await clock.syncOnce();
    expect(status).toMatchObject({
      state: 'unsynced',
      synchronized: false,
      sources: [{ server: liar, status: 'rejected', reason: 'panic-threshold', detail: expect.stringMatching(detail) }],
    });
    const reported = status.sources[0];
    expect(Math.abs((reported?.offsetMs ?? 0) - skewMs)).toBeLessThanOrEqual((reported?.rootDistanceMs ?? 0) + 1);
    expect(Math.abs(clock.nowMs() - Date.now())).toBeLessThanOrEqual(2);
  });

  it('a synced reference whose server starts claiming +10 years holds over, keeping its offset', async () => {
    const serverPort = await startFakeNtpServer({ skewMs: 3500 });
    servers.push(serverPort);
    const clock = referenceOf(`127.0.0.1:${serverPort.port}`);
    expect((await clock.syncOnce()).state).toBe('synchronized');
    serverPort.behave({ skewMs: 10 * YEAR_MS });
    const status = await clock.syncOnce();
    expect(status).toMatchObject({
      state: 'holdover',
      sources: [expect.objectContaining({ reason: 'panic-threshold' })],
    });
    expect(Math.abs(clock.nowMs() - (Date.now() + 3500))).toBeLessThanOrEqual(6);
  });

  it('a later jump within the panic threshold but beyond max change (1 s) is refused as max-change', async () => {
    const server = await startFakeNtpServer({ skewMs: 3500 });
    servers.push(server);
    const clock = referenceOf(`127.0.0.1:${server.port}`);
    await clock.syncOnce();
    server.behave({ skewMs: 3500 + 120_000 });
    expect(await clock.syncOnce()).toMatchObject({
      state: 'holdover',
      sources: [expect.objectContaining({ reason: 'max-change', detail: expect.stringMatching(/moves 120\.\d{3} s/) })],
    });
  });
});

describe('several sources: RFC 5905 selection', () => {
  it('three sources with one falseticker (+250 ms): the falseticker is dropped, the other two combined', async () => {
    const honestA = await fake({ skewMs: 3500 });
    const honestB = await fake({ skewMs: 3501 });
    const falseticker = await fake({ skewMs: 3750 });
    const clock = referenceOf([honestA, falseticker, honestB].join(','));
    const status = await clock.syncOnce();
    expect(status).toMatchObject({ state: 'synchronized', source: [honestA, falseticker, honestB].join(',') });
    expect(status.sources.map(({ server, status: used, reason }) => ({ server, used, reason }))).toEqual([
      { server: honestA, used: 'selected', reason: null },
      { server: falseticker, used: 'rejected', reason: 'falseticker' },
      { server: honestB, used: 'selected', reason: null },
    ]);
    if (status.state !== 'synchronized') throw new Error('expected a sync');
    expect(Math.abs(status.offsetMs - 3500.5)).toBeLessThanOrEqual(status.uncertaintyMs + 1);
  });

  it('a +1 h liar among three is refused by the panic threshold, the two honest ones still sync', async () => {
    const liar = await fake({ skewMs: HOUR_MS });
    const clock = referenceOf([await fake({ skewMs: 20 }), liar, await fake({ skewMs: 21 })].join(','));
    const status = await clock.syncOnce();
    expect(status.state).toBe('synchronized');
    expect(status.sources[1]).toMatchObject({ server: liar, status: 'rejected', reason: 'panic-threshold' });
  });

  it('two sources that disagree: neither is believed (no majority), and the status says so', async () => {
    const clock = referenceOf([await fake({ skewMs: 0 }), await fake({ skewMs: 500 })].join(','));
    const status = await clock.syncOnce();
    expect(status).toMatchObject({ state: 'unsynced', reason: expect.stringMatching(/^no usable NTP source: /) });
    expect(status.sources.map((source) => source.reason)).toEqual(['no-majority', 'no-majority']);
  });
});

describe('junk datagrams before the real reply', () => {
  it('50 garbage packets from the server address arriving first are ignored, and the sync succeeds', async () => {
    const junk = (request: Buffer): Buffer[] =>
      Array.from({ length: 50 }, (_, index) => {
        if (index % 5 === 0) return randomBytes(index % 48); // short
        const packet = randomBytes(48);
        if (index % 5 === 1) packet[0] = 0x24; // a server header, random origin
        if (index % 5 === 2) {
          packet[0] = 0x23; // mode 3: our own request reflected
          request.copy(packet, 24, 40, 48);
        }
        return packet;
      });
    const server = await fake({ skewMs: 3500, before: junk });
    const status = await referenceOf(server).syncOnce();
    expect(status).toMatchObject({
      state: 'synchronized',
      sources: [expect.objectContaining({ status: 'selected', ignoredDatagrams: 50 })],
    });
  });
});
