import fc from 'fast-check';
import { serverTime, trueSkewMs, type ClockConfig } from './clock-model';
import { correctedReading } from './corrected-time';
import { deltaFrom, simulateNtpExchange, thetaFrom } from './ntp-exchange';
import { createSeededRandom, sampleJitterMs } from './seeded-random';
import { errorBoundMs, neverSynchronized } from './sync-state';
import { syncSimulatedServer } from './simulated-sync';

/** A few ulps of the largest magnitude involved: "exact" for floats. */
const floatTolerance = (...magnitudes: number[]): number =>
  32 * Number.EPSILON * Math.max(1, ...magnitudes.map(Math.abs));

const referenceMs = fc.double({ min: 1.5e12, max: 2.1e12, noNaN: true });
const offsetMs = fc.double({ min: -60_000, max: 60_000, noNaN: true });
const delayMs = fc.double({ min: 0, max: 500, noNaN: true });

const fixedOffsetClock = (offset: number): ClockConfig => ({
  offsetMs: offset,
  driftPpm: 0,
  jitterMs: 0,
  t0Ms: 0,
  outboundDelayMs: 0,
  inboundDelayMs: 0,
  neverSyncs: false,
});

interface SimulatedSyncFixture {
  readonly config: ClockConfig;
  readonly seed: number;
  readonly syncAtMs: number;
  readonly readAfterMs: number;
}

/** A drifting, jittery clock synced once and read later (no step, no strobe). */
const simulatedSyncFixture = (options: { symmetric: boolean }): fc.Arbitrary<SimulatedSyncFixture> =>
  fc
    .record({
      offsetMs: fc.double({ min: -30_000, max: 30_000, noNaN: true }),
      // As far as a seeded run's overrides allow.
      driftPpm: fc.double({ min: -100_000, max: 100_000, noNaN: true }),
      jitterMs: fc.double({ min: 0, max: 50, noNaN: true }),
      t0Ms: fc.double({ min: 1.6e12, max: 1.7e12, noNaN: true }),
      outboundDelayMs: fc.double({ min: 0, max: 300, noNaN: true }),
      inboundDelayMs: fc.double({ min: 0, max: 300, noNaN: true }),
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      syncAfterStartMs: fc.double({ min: 0, max: 3_600_000, noNaN: true }),
      readAfterMs: fc.double({ min: 0, max: 3_600_000, noNaN: true }),
    })
    .map((drawn) => ({
      config: {
        offsetMs: drawn.offsetMs,
        driftPpm: drawn.driftPpm,
        jitterMs: drawn.jitterMs,
        t0Ms: drawn.t0Ms,
        outboundDelayMs: drawn.outboundDelayMs,
        inboundDelayMs: options.symmetric ? drawn.outboundDelayMs : drawn.inboundDelayMs,
        neverSyncs: false,
      },
      seed: drawn.seed,
      syncAtMs: drawn.t0Ms + drawn.syncAfterStartMs,
      readAfterMs: drawn.readAfterMs,
    }));

describe('simulated RFC 5905 exchange', () => {
  it('computes θ and δ from the four timestamps as RFC 5905 §8 does', () => {
    const timestamps = { t1: 1000, t2: 1505, t3: 1506, t4: 1021 };
    expect(thetaFrom(timestamps)).toBe((1505 - 1000 + (1506 - 1021)) / 2);
    expect(deltaFrom(timestamps)).toBe(1021 - 1000 - (1506 - 1505));
  });

  it('a server 500 ms ahead is estimated at +500 ms and corrected back to reference time', () => {
    const config = fixedOffsetClock(500);
    const exchange = simulateNtpExchange({
      sendReferenceMs: 10_000,
      clientClock: (t) => serverTime(config, t, 0),
      outboundDelayMs: 20,
      inboundDelayMs: 20,
    });
    expect(exchange.timestamps).toEqual({ t1: 10_500, t2: 10_020, t3: 10_020, t4: 10_540 });
    expect(exchange.thetaMs).toBe(-500);
    expect(exchange.estimatedOffsetMs).toBe(500);
    expect(exchange.roundTripDelayMs).toBe(40);
  });

  it('θ equals the true offset exactly when the delays are symmetric', () => {
    fc.assert(
      fc.property(
        referenceMs,
        offsetMs,
        delayMs,
        fc.double({ min: 0, max: 5, noNaN: true }),
        (send, offset, delay, processing) => {
          const config = fixedOffsetClock(offset);
          const exchange = simulateNtpExchange({
            sendReferenceMs: send,
            clientClock: (t) => serverTime(config, t, 0),
            outboundDelayMs: delay,
            inboundDelayMs: delay,
            serverProcessingMs: processing,
          });
          expect(Math.abs(exchange.estimatedOffsetMs - offset)).toBeLessThanOrEqual(floatTolerance(send));
          expect(Math.abs(exchange.thetaMs + offset)).toBeLessThanOrEqual(floatTolerance(send));
        },
      ),
    );
  });

  it('θ is off by exactly (d_out − d_in)/2 when the delays differ', () => {
    fc.assert(
      fc.property(referenceMs, offsetMs, delayMs, delayMs, (send, offset, outbound, inbound) => {
        const config = fixedOffsetClock(offset);
        const exchange = simulateNtpExchange({
          sendReferenceMs: send,
          clientClock: (t) => serverTime(config, t, 0),
          outboundDelayMs: outbound,
          inboundDelayMs: inbound,
        });
        const trueTheta = -offset;
        expect(Math.abs(exchange.thetaMs - trueTheta - (outbound - inbound) / 2)).toBeLessThanOrEqual(
          floatTolerance(send),
        );
      }),
    );
  });

  it('δ equals the round-trip network delay', () => {
    fc.assert(
      fc.property(
        referenceMs,
        offsetMs,
        delayMs,
        delayMs,
        fc.double({ min: 0, max: 5, noNaN: true }),
        (send, offset, outbound, inbound, processing) => {
          const config = fixedOffsetClock(offset);
          const exchange = simulateNtpExchange({
            sendReferenceMs: send,
            clientClock: (t) => serverTime(config, t, 0),
            outboundDelayMs: outbound,
            inboundDelayMs: inbound,
            serverProcessingMs: processing,
          });
          expect(Math.abs(exchange.roundTripDelayMs - (outbound + inbound))).toBeLessThanOrEqual(floatTolerance(send));
        },
      ),
    );
  });

  it('with drift, the estimate is the mean skew over the exchange', () => {
    fc.assert(
      fc.property(
        referenceMs,
        offsetMs,
        fc.double({ min: -500, max: 500, noNaN: true }),
        delayMs,
        (send, offset, drift, delay) => {
          const config: ClockConfig = { ...fixedOffsetClock(offset), driftPpm: drift, t0Ms: 1.5e12 };
          const exchange = simulateNtpExchange({
            sendReferenceMs: send,
            clientClock: (t) => serverTime(config, t, 0),
            outboundDelayMs: delay,
            inboundDelayMs: delay,
          });
          const meanSkew = (trueSkewMs(config, send) + trueSkewMs(config, exchange.receiveReferenceMs)) / 2;
          expect(Math.abs(exchange.estimatedOffsetMs - meanSkew)).toBeLessThanOrEqual(floatTolerance(send));
        },
      ),
    );
  });
});

describe('NTP-corrected time and its error bound', () => {
  it('corrected time stays within the error bound of reference time (symmetric delays, drift, jitter)', () => {
    fc.assert(
      fc.property(simulatedSyncFixture({ symmetric: true }), (fixture) => {
        const random = createSeededRandom(fixture.seed);
        const sync = syncSimulatedServer(fixture.config, neverSynchronized, fixture.syncAtMs, random);
        const readAtMs = fixture.syncAtMs + fixture.readAfterMs;
        const reading = correctedReading(
          serverTime(fixture.config, readAtMs, sampleJitterMs(random, fixture.config.jitterMs)),
          sync.state,
        );
        expect(Math.abs(reading.ntpCorrectedTimeMs - readAtMs)).toBeLessThanOrEqual(
          reading.errorBoundMs + floatTolerance(readAtMs),
        );
      }),
    );
  });

  it('δ/2 also covers the asymmetry error, so the bound holds on asymmetric paths too', () => {
    fc.assert(
      fc.property(simulatedSyncFixture({ symmetric: false }), (fixture) => {
        const random = createSeededRandom(fixture.seed);
        const sync = syncSimulatedServer(fixture.config, neverSynchronized, fixture.syncAtMs, random);
        const readAtMs = fixture.syncAtMs + fixture.readAfterMs;
        const reading = correctedReading(
          serverTime(fixture.config, readAtMs, sampleJitterMs(random, fixture.config.jitterMs)),
          sync.state,
        );
        expect(Math.abs(reading.ntpCorrectedTimeMs - readAtMs)).toBeLessThanOrEqual(
          reading.errorBoundMs + floatTolerance(readAtMs),
        );
      }),
    );
  });

  it('the bound is δ/2 plus the drift over the exchange at sync and widens with the drift allowance', () => {
    const config: ClockConfig = { ...fixedOffsetClock(1000), driftPpm: 100, outboundDelayMs: 10, inboundDelayMs: 10 };
    const sync = syncSimulatedServer(config, neverSynchronized, 0, createSeededRandom(1));
    if (sync.kind !== 'synchronized') throw new Error('expected a sync');
    const atSync = sync.state.kind === 'synchronized' ? sync.state.lastSyncServerMs : NaN;
    const delta = sync.exchange.roundTripDelayMs;
    // PHI 15 + |drift| 100 ppm per true ms, counted per server ms as if the clock ran slow (100 / (1 − 100e-6))...
    const perServerMs = 15e-6 + 100e-6 / (1 - 100e-6);
    // ...of the round trip itself...
    expect(errorBoundMs(sync.state, atSync)).toBeCloseTo(delta / 2 + perServerMs * delta, 9);
    // ...and of the time since: over 60 s, 6.9006 ms more.
    expect(errorBoundMs(sync.state, atSync + 60_000)).toBeCloseTo(delta / 2 + perServerMs * (delta + 60_000), 9);
    expect(perServerMs * 60_000).toBeCloseTo(6.9006, 4);
  });

  it('a slow clock on a one-way path stays within its bound (CI counterexample of the asymmetric property)', () => {
    // Given a clock 46.64 ppm slow whose request arrives at once and whose reply takes 240.05 ms
    const config: ClockConfig = {
      ...fixedOffsetClock(0),
      driftPpm: -46.64,
      t0Ms: 1_600_000_000_000.0017,
      inboundDelayMs: 240.05,
    };
    const syncAtMs = config.t0Ms;
    const sync = syncSimulatedServer(config, neverSynchronized, syncAtMs, createSeededRandom(0));
    // When it reads its corrected clock 243.4 ms later
    const readAtMs = syncAtMs + 243.4;
    const reading = correctedReading(serverTime(config, readAtMs, 0), sync.state);
    // Then the error (120.0056 ms) is within the bound, which δ/2 + drift since the sync (119.9944 ms) was not
    const errorMs = Math.abs(reading.ntpCorrectedTimeMs - readAtMs);
    expect(errorMs).toBeGreaterThan(120);
    expect(errorMs).toBeLessThanOrEqual(reading.errorBoundMs);
  });

  it('a clock far slower than any real one stays within its bound an hour after its sync', () => {
    // Given a clock 4,000 ppm slow on an instant path, synced at its start
    const config: ClockConfig = { ...fixedOffsetClock(0), driftPpm: -4000, t0Ms: 1_600_000_000_000 };
    const sync = syncSimulatedServer(config, neverSynchronized, config.t0Ms, createSeededRandom(0));
    // When it reads its corrected clock one true hour later (its own clock counts 3,585.6 s)
    const readAtMs = config.t0Ms + 3_600_000;
    const reading = correctedReading(serverTime(config, readAtMs, 0), sync.state);
    // Then the 14.4 s error is within the bound, which PHI + |drift| per server ms (14,396.2 ms) was not
    const errorMs = Math.abs(reading.ntpCorrectedTimeMs - readAtMs);
    expect(errorMs).toBeCloseTo(14_400, 6);
    expect(errorMs).toBeLessThanOrEqual(reading.errorBoundMs);
  });

  it('a server that never syncs keeps its previous state: offset 0, unbounded error', () => {
    const config: ClockConfig = { ...fixedOffsetClock(1500), neverSyncs: true };
    const sync = syncSimulatedServer(config, neverSynchronized, 0, createSeededRandom(1));
    expect(sync.kind).toBe('never-syncs');
    const reading = correctedReading(serverTime(config, 5000, 0), sync.state);
    expect(reading).toEqual({
      serverTimeMs: 6500,
      estimatedOffsetMs: 0,
      ntpCorrectedTimeMs: 6500,
      errorBoundMs: Number.POSITIVE_INFINITY,
      synchronized: false,
    });
  });
});
