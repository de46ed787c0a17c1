import fc from 'fast-check';
import { SCENARIO_NAMES, UnknownScenarioError, applyScenario, listScenarios } from './scenarios';

const FIVE_SERVERS = ['server-1', 'server-2', 'server-3', 'server-4', 'server-5'];
const seed = fc.integer({ min: 0, max: 0xffffffff });
const serverCount = fc.integer({ min: 2, max: 12 });
const serversOf = (count: number): string[] => Array.from({ length: count }, (_, index) => `server-${index + 1}`);

const everyConfig = (name: string, check: (config: ReturnType<typeof applyScenario>[string]) => void): void => {
  fc.assert(
    fc.property(seed, serverCount, (runSeed, count) => {
      for (const config of Object.values(applyScenario(name, serversOf(count), runSeed))) check(config);
    }),
  );
};

describe('clock scenarios', () => {
  it('lists every scenario with a description', () => {
    const listed = listScenarios();
    expect(listed.map((scenario) => scenario.name)).toEqual([...SCENARIO_NAMES]);
    for (const scenario of listed) expect(scenario.description.length).toBeGreaterThan(10);
  });

  it('is deterministic: the same name, servers and seed give the same clocks', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SCENARIO_NAMES), seed, (name, runSeed) => {
        expect(applyScenario(name, FIVE_SERVERS, runSeed, { startReferenceMs: 1.7e12 })).toEqual(
          applyScenario(name, FIVE_SERVERS, runSeed, { startReferenceMs: 1.7e12 }),
        );
      }),
    );
  });

  it('gives another seed other clocks', () => {
    expect(applyScenario('major_drift', FIVE_SERVERS, 1)).not.toEqual(applyScenario('major_drift', FIVE_SERVERS, 2));
  });

  it('rejects an unknown scenario, naming the known ones', () => {
    expect(() => applyScenario('tiny_drift', FIVE_SERVERS, 1)).toThrow(UnknownScenarioError);
    expect(() => applyScenario('tiny_drift', FIVE_SERVERS, 1)).toThrow(
      /Unknown clock scenario "tiny_drift".*minor_drift, major_drift, extreme_drift/,
    );
  });

  it.each(['none', 'synchronized'])('%s: zero skew, symmetric delays', (name) => {
    everyConfig(name, (config) => {
      expect(config).toMatchObject({ offsetMs: 0, driftPpm: 0, jitterMs: 0, neverSyncs: false });
      expect(config.outboundDelayMs).toBe(config.inboundDelayMs);
    });
  });

  it('minor_drift: every |offset| below 2 s', () =>
    everyConfig('minor_drift', (c) => expect(Math.abs(c.offsetMs)).toBeLessThan(2000)));

  it('major_drift: every |offset| between 5 and 10 s', () =>
    everyConfig('major_drift', (c) => {
      expect(Math.abs(c.offsetMs)).toBeGreaterThanOrEqual(5000);
      expect(Math.abs(c.offsetMs)).toBeLessThanOrEqual(10_000);
    }));

  it('extreme_drift: every |offset| above 15 s', () =>
    everyConfig('extreme_drift', (c) => expect(Math.abs(c.offsetMs)).toBeGreaterThan(15_000)));

  it('drift_ppm: small offsets, tens to hundreds of ppm', () =>
    everyConfig('drift_ppm', (c) => {
      expect(Math.abs(c.offsetMs)).toBeLessThanOrEqual(200);
      expect(Math.abs(c.driftPpm)).toBeGreaterThanOrEqual(20);
      expect(Math.abs(c.driftPpm)).toBeLessThanOrEqual(500);
    }));

  it('asymmetric_network: small offsets, outbound and inbound delays differ by 40–200 ms', () =>
    everyConfig('asymmetric_network', (c) => {
      expect(Math.abs(c.offsetMs)).toBeLessThanOrEqual(300);
      expect(Math.abs(c.outboundDelayMs - c.inboundDelayMs)).toBeGreaterThanOrEqual(40);
      expect(Math.abs(c.outboundDelayMs - c.inboundDelayMs)).toBeLessThanOrEqual(200);
    }));

  it('never_synced: exactly one server never syncs', () => {
    fc.assert(
      fc.property(seed, serverCount, (runSeed, count) => {
        const configs = Object.values(applyScenario('never_synced', serversOf(count), runSeed));
        expect(configs.filter((config) => config.neverSyncs)).toHaveLength(1);
      }),
    );
  });

  it('clock_step and strobe: exactly one server steps / strobes, relative to the run start', () => {
    const start = 1.7e12;
    const stepped = Object.values(applyScenario('clock_step', FIVE_SERVERS, 7, { startReferenceMs: start })).filter(
      (c) => c.step,
    );
    expect(stepped).toHaveLength(1);
    expect(stepped[0]?.step?.atMs).toBe(start + 10_000);
    expect(Math.abs(stepped[0]?.step?.byMs ?? 0)).toBeGreaterThanOrEqual(3000);
    const strobing = Object.values(applyScenario('strobe', FIVE_SERVERS, 7)).filter((c) => c.strobe);
    expect(strobing).toHaveLength(1);
    expect(Math.sign(strobing[0]?.strobe?.altOffsetMs ?? 0)).toBe(-Math.sign(strobing[0]?.offsetMs ?? 0));
  });

  it.each(['minor_drift', 'major_drift', 'extreme_drift', 'never_synced'])(
    '%s: some servers ahead and some behind',
    (name) => {
      fc.assert(
        fc.property(seed, serverCount, (runSeed, count) => {
          const offsets = Object.values(applyScenario(name, serversOf(count), runSeed)).map((c) => c.offsetMs);
          expect(offsets.some((offset) => offset > 0)).toBe(true);
          expect(offsets.some((offset) => offset < 0)).toBe(true);
        }),
      );
    },
  );

  it('uses the run start as t0 of the drift term', () => {
    for (const config of Object.values(applyScenario('drift_ppm', FIVE_SERVERS, 3, { startReferenceMs: 1.7e12 }))) {
      expect(config.t0Ms).toBe(1.7e12);
    }
  });
});
