import { startFakeNtpServer, silent, type FakeNtpServer } from '../src/clocks/ntp/testing/fake-ntp-server';
import { startTestApp, type RunningApp } from './app-harness';

/**
 * The reference clock as the API shows it (`ntp_source` of GET /api/time/status),
 * disciplined by three FAKE dgram NTP servers on loopback (two honest ones
 * 3.5 s ahead, one falseticker), then by none when they go silent.
 */
interface NtpSourceBody {
  state: string;
  synchronized: boolean;
  reason: string | null;
  offset_ms: number | null;
  uncertainty_ms: number | null;
  holdover_since: string | null;
  holdover_ms: number | null;
  slew_remaining_ms: number;
  max_slew_ppm: number;
  authentication: unknown;
  sources: Array<{ server: string; status: string; reason: string | null }>;
}

/** The status, with the host clock read just before and after: the reference time lies between (plus its offset). */
const referenceOf = async (
  running: RunningApp,
): Promise<{ ntp: NtpSourceBody; referenceMs: number; hostBeforeMs: number; hostAfterMs: number }> => {
  const hostBeforeMs = Date.now();
  const body = (await (await fetch(`${running.baseUrl}/api/time/status?server_id=server-1`)).json()) as {
    ntp_source: NtpSourceBody;
    reference_time_ms: number;
  };
  return { ntp: body.ntp_source, referenceMs: body.reference_time_ms, hostBeforeMs, hostAfterMs: Date.now() + 1 };
};

/** No timing assumption: the reading must lie within the request's host-clock window, shifted by the offset ± slack. */
const expectReadingShiftedBy = async (running: RunningApp, offsetMs: number, slackMs: number): Promise<void> => {
  const { referenceMs, hostBeforeMs, hostAfterMs } = await referenceOf(running);
  expect(referenceMs).toBeGreaterThanOrEqual(hostBeforeMs + offsetMs - slackMs);
  expect(referenceMs).toBeLessThanOrEqual(hostAfterMs + offsetMs + slackMs);
};

const waitForState = async (running: RunningApp, state: string, withinMs: number): Promise<NtpSourceBody> => {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const { ntp } = await referenceOf(running);
    if (ntp.state === state || Date.now() > deadline) return ntp;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('GET /api/time/status: the reference clock (fake NTP servers)', () => {
  const servers: FakeNtpServer[] = [];
  let running: RunningApp;
  let ntpServer: string;

  beforeAll(async () => {
    for (const skewMs of [3500, 3750, 3501]) servers.push(await startFakeNtpServer({ skewMs }));
    ntpServer = servers.map((server) => `127.0.0.1:${server.port}`).join(',');
    running = await startTestApp({ NTP_SERVER: ntpServer, TIME_SYNC_INTERVAL: '1', NTP_TIMEOUT_MS: '300' });
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await Promise.all(servers.map((server) => server.close()));
  });

  it('synchronises on the two truechimers, names the falseticker, and hands out reference time 3.5 s ahead', async () => {
    const ntp = await waitForState(running, 'synchronized', 20_000);
    expect(ntp).toMatchObject({
      state: 'synchronized',
      synchronized: true,
      reason: null,
      holdover_since: null,
      max_slew_ppm: 500,
      authentication: null,
    });
    expect(ntp.sources.map((source) => [source.status, source.reason])).toEqual([
      ['selected', null],
      ['rejected', 'falseticker'],
      ['selected', null],
    ]);
    // The fake servers share the app's event loop: a loaded machine widens δ, which the uncertainty covers.
    const uncertaintyMs = ntp.uncertainty_ms ?? 0;
    expect(uncertaintyMs).toBeGreaterThan(0);
    expect(Math.abs((ntp.offset_ms ?? 0) - 3500)).toBeLessThanOrEqual(uncertaintyMs + 1);
    await expectReadingShiftedBy(running, 3500, uncertaintyMs + 1);
  });

  it('when every server goes silent, reports holdover and keeps handing out time 3.5 s ahead', async () => {
    for (const server of servers) server.behave({ shape: silent });
    const ntp = await waitForState(running, 'holdover', 20_000);
    expect(ntp).toMatchObject({
      state: 'holdover',
      synchronized: false,
      reason: expect.stringMatching(/^no usable NTP source: /),
    });
    expect(ntp.holdover_since).toEqual(expect.any(String));
    expect(ntp.holdover_ms).toEqual(expect.any(Number));
    expect(ntp.sources.every((source) => source.reason === 'timeout')).toBe(true);
    await expectReadingShiftedBy(running, 3500, (ntp.uncertainty_ms ?? 0) + 1);
  });
});

describe('GET /api/time/status: the unreachable default', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({ NTP_SERVER: '127.0.0.1:9' });
  }, 60_000);
  afterAll(async () => {
    await running?.close();
  });

  it('is a clear unsynced state with the reason, and the lab runs on the host clock', async () => {
    const ntp = await waitForState(running, 'never', 600);
    expect(ntp).toMatchObject({
      state: 'unsynced',
      synchronized: false,
      offset_ms: null,
      uncertainty_ms: null,
      sources: [expect.objectContaining({ server: '127.0.0.1:9' })],
    });
    expect(ntp.reason).toMatch(/127\.0\.0\.1:9/);
    await expectReadingShiftedBy(running, 0, 1);
  });
});
