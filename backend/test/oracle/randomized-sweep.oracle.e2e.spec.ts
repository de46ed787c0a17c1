/**
 * A seeded randomized sweep: random clocks per server (offset, drift, jitter, asymmetric NTP
 * paths, a never-syncing server, requested steps found by a sync in mid-run), then many seats
 * with random servers and random gaps (tiny, around the bounds, around the window's edge and the
 * settlement), all at once; then a scenario applied and a second batch. Every seat is recomputed
 * by the oracle and compared, with the lab-wide figures.
 *
 * SWEEP_SEED and SWEEP_SEATS (per round) change the run; the seed is printed.
 */
import { OracleSession, availableStores } from './oracle-session';
import { sleep } from './lab-client';
import { seededRandom, type Random } from './prng';

const SEED = Number(process.env['SWEEP_SEED'] ?? 20261202);
const SEATS_PER_ROUND = Number(process.env['SWEEP_SEATS'] ?? 50);
const WINDOW_MS = 500;
const GRACE_MS = 400;
const SERVERS = ['server-1', 'server-2', 'server-3', 'server-4', 'server-5'];

describe.each(availableStores())(
  `oracle: randomized sweep (seed ${SEED}, ${SEATS_PER_ROUND} seats per round) on %s`,
  (store) => {
    const session = new OracleSession({ windowMs: WINDOW_MS, graceMs: GRACE_MS, maxSeats: 2 * SEATS_PER_ROUND, store });
    let rebuilt: string[] = [];
    const random = seededRandom(SEED);
    const clockPlan: string[] = [];

    /** A gap between two attempts on one seat: tiny, around the bounds, or around the window and the settlement. */
    const gap = (r: Random) => {
      const kind = r.next();
      if (kind < 0.35) return r.between(0, 20);
      if (kind < 0.65) return r.between(20, 150);
      return r.between(WINDOW_MS * 0.6, WINDOW_MS + GRACE_MS * 1.5);
    };

    const runSeats = async (firstSeat: number, stepped: string[]) => {
      const tasks = Array.from({ length: SEATS_PER_ROUND }, (_, i) => {
        const seat = firstSeat + i;
        const count = random.pick([1, 2, 2, 2, 3, 3, 4]);
        const start = random.between(0, 4000);
        const steps = Array.from({ length: count }, (_, k) => ({
          server: random.pick(SERVERS),
          pause: k === 0 ? start : gap(random),
        }));
        return (async () => {
          for (const [k, step] of steps.entries()) {
            await sleep(step.pause);
            await session.reserve(seat, `c${seat}-${k}`, step.server);
          }
        })();
      });
      // Mid-run, the stepped servers sync: the step is detected and what they stamped is marked.
      const midSync = (async () => {
        await sleep(2000);
        for (const server of stepped) await session.sync(server);
      })();
      await Promise.all([...tasks, midSync]);
    };

    beforeAll(async () => {
      await session.start();
      // One server never syncs, one is stepped for sure; the others are stepped by chance.
      const neverSyncing = random.pick(SERVERS);
      const surelyStepped = random.pick(SERVERS.filter((s) => s !== neverSyncing));
      const stepped: string[] = [];
      for (const server of SERVERS) {
        const settings = {
          offset_ms: Math.round(random.between(-1500, 1500)),
          drift_ppm: Math.round(random.between(-300, 300)),
          jitter_ms: Math.round(random.between(0, 2) * 10) / 10,
          outbound_delay_ms: Math.round(random.between(1, 40)),
          inbound_delay_ms: Math.round(random.between(1, 40)),
        };
        await session.client.setClock(server, settings);
        if (server === neverSyncing) {
          await session.client.setClock(server, { never_syncs: true });
          clockPlan.push(`${server} ${JSON.stringify(settings)} never_syncs`);
          continue;
        }
        await session.sync(server);
        if (server === surelyStepped || random.chance(0.25)) {
          const step = Math.round(random.pick([-1, 1]) * random.between(20, 300));
          await session.client.setClock(server, { offset_ms: settings.offset_ms + step });
          stepped.push(server);
          clockPlan.push(`${server} ${JSON.stringify(settings)} then a step of ${step} ms`);
        } else clockPlan.push(`${server} ${JSON.stringify(settings)}`);
      }
      await runSeats(1, stepped);
      await session.check(`sweep seed ${SEED} on ${store}, round 1 (random clocks)`);

      const scenario = random.pick(['asymmetric_network', 'jitter', 'drift_ppm', 'major_drift', 'minor_drift']);
      clockPlan.push(`round 2: scenario ${scenario}, synced`);
      await session.client.applyScenario(scenario, SEED % 1000, true);
      await runSeats(SEATS_PER_ROUND + 1, []);
      await session.check(`sweep seed ${SEED} on ${store}, rounds 1+2 (round 2: ${scenario})`);
      rebuilt = await session.rebuildAndCompare(session.reports[1]!.timelines);
    }, 400_000);

    afterAll(async () => {
      console.log(`[oracle] sweep seed ${SEED} clocks:\n  ${clockPlan.join('\n  ')}`);
      for (const line of session.summaryLines()) console.log(line);
      await session.stop();
    });

    it.each([0, 1])('round %i: agrees with the oracle on every seat and every lab-wide figure', (round) => {
      const report = session.reports[round]!;
      expect(report.disagreements).toEqual([]);
    });

    it.each([0, 1])('round %i: invents no contention and leaves no wrong holder unexplained', (round) => {
      const report = session.reports[round]!;
      expect(report.phantomContention).toBe(0);
      expect(report.missedContention).toBe(0);
      expect(report.unexplained).toBe(0);
    });

    it.each([0, 1])(
      'round %i: is never confidently wrong: a sole candidate is truly first unless a bound broke or it arrived late',
      (round) => {
        const report = session.reports[round]!;
        const confidentlyWrong = report.checks.filter(
          (c) =>
            c.expected.candidates.length === 1 &&
            c.expected.holderId !== c.expected.trulyFirstId &&
            c.expected.verdict !== 'bound_violation' &&
            c.expected.verdict !== 'late_arrival',
        );
        expect(confidentlyWrong.map((c) => c.seatId)).toEqual([]);
      },
    );

    it('says the same about every seat after the read model is rebuilt from the log', () => {
      expect(rebuilt).toEqual([]);
    });
  },
);
