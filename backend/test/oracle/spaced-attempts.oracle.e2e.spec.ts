/**
 * Issue 11, item 2: attempts 2–3 s apart on a seat did not compete, yet were flagged contention
 * and inversion. With honest bounds of a few ms and a 2 s window, a second attempt more than a
 * window after the first provably came after it: no contention, no inversion, whatever the
 * server clocks say (the startup scenario, minor_drift, puts them up to 1.7 s apart).
 * One control seat has its attempts ~0.7–1.2 s apart: those do compete.
 */
import { OracleSession } from './oracle-session';
import { sleep } from './lab-client';

describe('oracle: attempts 2–3 s apart on a seat', () => {
  const session = new OracleSession({ windowMs: 2000, graceMs: 250 });
  // seat → [server of the first attempt, server of the second, pause between them]
  const plan: [number, string, string, number][] = [
    [1, 'server-1', 'server-2', 2100],
    [2, 'server-2', 'server-1', 2250],
    [3, 'server-3', 'server-5', 2400],
    [4, 'server-5', 'server-3', 2550],
    [5, 'server-4', 'server-1', 2700],
    [6, 'server-2', 'server-5', 2850],
    [7, 'server-5', 'server-2', 2950],
    [8, 'server-1', 'server-3', 500],
    // server-5 runs ~3.1 s ahead of server-2: by server clocks the second attempt looks first.
    [9, 'server-5', 'server-2', 2100],
    [10, 'server-5', 'server-2', 2150],
  ];

  beforeAll(async () => {
    await session.start();
    await Promise.all(
      plan.map(async ([seat, first, second, pause], i) => {
        await sleep(i * 60);
        await session.reserve(seat, `first-${seat}`, first);
        await sleep(pause);
        await session.reserve(seat, `second-${seat}`, second);
      }),
    );
    await session.check('attempts 2–3 s apart');
  }, 90_000);

  afterAll(async () => {
    for (const line of session.summaryLines()) console.log(line);
    await session.stop();
  });

  it('flags no contention and no inversion for attempts more than a window apart', () => {
    const report = session.reports[0]!;
    for (const [seat, , , pause] of plan.filter(([, , , pause]) => pause >= 2000)) {
      const timeline = report.timelines.get(seat)!;
      const [a, b] = [...timeline.attempts].sort((x, y) => x.reference_time_ms - y.reference_time_ms);
      expect(b!.reference_time_ms - a!.reference_time_ms).toBeGreaterThan(pause - 1);
      expect({ seat, kinds: timeline.kinds }).toEqual({ seat, kinds: [] });
      expect(timeline.holder_attempt_id).toBe(a!.attempt_id);
    }
    expect(report.phantomContention).toBe(0);
  });

  it('still sees the control seat contended', () => {
    expect(session.reports[0]!.timelines.get(8)!.kinds).toContain('contention');
  });

  it('agrees with the oracle on every seat and figure', () => {
    expect(session.reports[0]!.disagreements).toEqual([]);
  });
});
