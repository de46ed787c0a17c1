/**
 * Issue 11, item 9: a hot seat. Many concurrent attempts on one seat from every server: the
 * settlement must decide from every attempt appended before its moment (however far the read model
 * lags), and every locally confirmed loser must be revoked, including the ones that reach the log
 * after the decision. ORACLE_HOT_ATTEMPTS changes the count.
 */
import { OracleSession } from './oracle-session';

const ATTEMPTS = Number(process.env['ORACLE_HOT_ATTEMPTS'] ?? 120);
const CONCURRENCY = 20;
const SERVERS = ['server-1', 'server-2', 'server-3', 'server-4', 'server-5'];

describe(`oracle: a hot seat (${ATTEMPTS} concurrent attempts)`, () => {
  const session = new OracleSession({ windowMs: 3000, graceMs: 250 });
  const seatId = 42;

  beforeAll(async () => {
    await session.start();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < ATTEMPTS; i = next++)
          await session.reserve(seatId, `hot-${i}`, SERVERS[i % SERVERS.length]!);
      }),
    );
    await session.check(`hot seat, ${ATTEMPTS} attempts`);
  }, 300_000);

  afterAll(async () => {
    for (const line of session.summaryLines()) console.log(line);
    await session.stop();
  });

  it('revokes every locally confirmed loser, before and after the decision', () => {
    const timeline = session.reports[0]!.timelines.get(seatId)!;
    expect(timeline.attempts).toHaveLength(ATTEMPTS);
    const confirmedLosers = timeline.attempts.filter((a) => a.local_decision === 'confirmed' && a.outcome === 'lost');
    const unrevoked = confirmedLosers.filter((a) => !a.revoked).map((a) => a.customer_name);
    console.log(
      `[oracle] hot seat: ${timeline.attempts.filter((a) => a.local_decision === 'confirmed').length} locally confirmed, ` +
        `${confirmedLosers.length} confirmed losers, ${unrevoked.length} not revoked, ` +
        `${timeline.attempts.filter((a) => a.role === 'after_settlement').length} after the settlement`,
    );
    expect(unrevoked).toEqual([]);
  });

  it('agrees with the oracle on the seat and every figure', () => {
    expect(session.reports[0]!.disagreements).toEqual([]);
  });
});
