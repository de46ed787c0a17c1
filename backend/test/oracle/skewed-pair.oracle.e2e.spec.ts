/**
 * A skewed pair: server-4 runs 1 s ahead, server-5 1 s behind, both synced with 1 ms bounds.
 * A customer on server-4 truly reserves first and one on server-5 a little later: server clocks put
 * the second first (an inversion), NTP-corrected time puts the first first, and the seat goes to
 * the truly first customer. With the second more than 2 s later, server clocks agree again.
 * (The skew is wide because one reservation takes 0.2–0.7 s here under load.)
 */
import { OracleSession } from './oracle-session';
import { sleep } from './lab-client';

describe('oracle: a skewed pair, inverted by server clocks, right by NTP', () => {
  const session = new OracleSession({ windowMs: 3000, graceMs: 250 });
  const pauses: [number, number][] = [
    [11, 0],
    [12, 20],
    [13, 100],
    [14, 250],
    [15, 2500],
  ];

  beforeAll(async () => {
    await session.start();
    const flat = { drift_ppm: 0, jitter_ms: 0, outbound_delay_ms: 1, inbound_delay_ms: 1 };
    await session.client.setClock('server-4', { ...flat, offset_ms: 1000 });
    await session.client.setClock('server-5', { ...flat, offset_ms: -1000 });
    await session.sync('server-4');
    await session.sync('server-5');
    await Promise.all(
      pauses.map(async ([seat, pause], i) => {
        await sleep(i * 40);
        await session.reserve(seat, `ahead-${seat}`, 'server-4');
        await sleep(pause);
        await session.reserve(seat, `behind-${seat}`, 'server-5');
      }),
    );
    await session.check('skewed pair ±1 s');
  }, 90_000);

  afterAll(async () => {
    for (const line of session.summaryLines()) console.log(line);
    await session.stop();
  });

  it('flags an inversion exactly where server clocks disagree with true order, and NTP picks the truly first', () => {
    const report = session.reports[0]!;
    for (const [seat] of pauses) {
      const timeline = report.timelines.get(seat)!;
      const [first, second] = [...timeline.attempts].sort((x, y) => x.reference_time_ms - y.reference_time_ms);
      expect(first!.server_id).toBe('server-4');
      const serverClockInverted = second!.server_time_ms < first!.server_time_ms;
      expect({ seat, inversion: timeline.kinds.includes('inversion') }).toEqual({
        seat,
        inversion: serverClockInverted,
      });
      expect(timeline.holder_attempt_id).toBe(first!.attempt_id);
      expect(timeline.authoritative?.decided_by).toBe('ntp_corrected');
      expect(timeline.holder_verdict).toBe('correct');
    }
    // The premise held for the closest pair: the gap between the posts stayed below the 2 s skew.
    expect(report.timelines.get(11)!.kinds).toContain('inversion');
  });

  it('agrees with the oracle on every seat and figure', () => {
    expect(session.reports[0]!.disagreements).toEqual([]);
  });
});
