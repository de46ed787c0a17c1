/**
 * CLOCK_SOURCE=real inside one process: a wall clock 2.5 s fast (a seam here;
 * libfaketime on a whole process in test/real-clock.e2e.spec.ts) measured by
 * real RFC 5905 exchanges with chrony on loopback, and recorded as the same
 * ClockSynchronized the simulated servers record.
 */
import { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../event-store/embedded/embedded-postgres';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { chronyUnavailableReason, startChrony, type ChronyServer } from '../ntp/testing/chrony-server';
import { createTightPreciseHostClock } from '../ntp/host-clock';
import type { EventStore } from '../../event-store/event-store.port';
import { UNBOUNDED_ERROR_MS } from '../../reservations/domain/clock-reading';
import { boundViolated } from '../../reservations/domain/scoring/truth-scoring';
import type { ReferenceClock, ReferenceClockStatus } from '../ntp/reference-clock';
import { BookingServerClockSet } from './booking-server-clock-set';
import { clockStreamId } from './clock-events';
import { RealClockNotConfigurableError, RealClockSyncFailedError, RealProcessClock } from './real-process-clock';

const SKEW_MS = 2500;
/**
 * Exchanges per sync in these tests (the app uses 4): make test runs them beside other suites on
 * two cores, and a preempted exchange errs by more than its delay shows; the least delayed of a
 * bigger burst is a clean one (chrony's own burst sends 8).
 */
const LOADED_MACHINE_BURST = 12;
const skewedWall = (): number => Date.now() + SKEW_MS;

const unavailable = chronyUnavailableReason();
if (unavailable) console.log(`real-process-clock int spec skipped: ${unavailable}`);
const describeWithChrony = unavailable ? describe.skip : describe;

describe('the process clock, read with sub-millisecond resolution', () => {
  it('reads within a millisecond above Date.now(), and follows a step of the wall clock at once', () => {
    let stepMs = 0;
    const clock = new RealProcessClock({
      server: '127.0.0.1:9',
      timeoutMs: 200,
      panicThresholdMs: 1e6,
      wallNowMs: () => Date.now() + stepMs,
    });
    const before = Date.now();
    const reading = clock.nowMs();
    expect(reading).toBeGreaterThanOrEqual(before - 0.1);
    expect(reading).toBeLessThan(Date.now() + 1.1);
    stepMs = 5000;
    const stepped = clock.nowMs();
    expect(stepped - reading).toBeGreaterThan(4999);
    expect(stepped - reading).toBeLessThan(5100);
  });

  const processClock = () => new RealProcessClock({ server: '127.0.0.1:9', timeoutMs: 200, panicThresholdMs: 1e6 });
  /** A reference that reads from a script: a jump between two reads is the process preempted between them. */
  const scriptedReference = (readings: number[]) => ({
    reads: 0,
    nowMs() {
      this.reads += 1;
      const next = readings.shift();
      if (next === undefined) throw new Error('no scripted reading left');
      return next;
    },
  });

  it('pairs a reading with the reference at its instant: a preempted bracket is read again, the tight one kept', () => {
    const reference = scriptedReference([1_000, 1_015, 1_020, 1_020.01]);
    const reading = processClock().readAgainst(reference);
    expect(reading).toMatchObject({ referenceTimeMs: 1_020.005 });
    expect(reading.gapMs).toBeCloseTo(0.01, 9);
    expect(reference.reads).toBe(4);
  });

  it('when every bracket is preempted, keeps the narrowest of five and says how wide it is', () => {
    const reference = scriptedReference([0, 9, 10, 13, 20, 28, 30, 31.5, 40, 42]);
    const reading = processClock().readAgainst(reference);
    expect(reading).toMatchObject({ referenceTimeMs: 30.75, gapMs: 1.5 });
    expect(reference.reads).toBe(10);
  });

  /** Reading a stamp must not reach the log: any use of this store fails the test. */
  const untouchableStore = new Proxy({} as EventStore, {
    get: (_target, name) => {
      throw new Error(`a clock reading used the event store (${String(name)})`);
    },
  });
  const referenceWith = (readings: number[], status: ReferenceClockStatus): ReferenceClock => {
    const scripted = scriptedReference(readings);
    return { nowMs: () => scripted.nowMs(), status: () => status };
  };
  const synchronizedTo = (uncertaintyMs: number): ReferenceClockStatus => ({
    synchronized: true,
    source: '127.0.0.1:123',
    offsetMs: 0,
    roundTripDelayMs: 0.2,
    stratum: 2,
    lastSyncAt: 0,
    uncertaintyMs,
  });
  const holdoverFor = (uncertaintyMs: number): ReferenceClockStatus => ({
    synchronized: false,
    state: 'holdover',
    source: '127.0.0.1:123',
    reason: 'no reply',
    lastAttemptAt: 0,
    offsetMs: 0,
    lastSyncAt: 0,
    holdoverSince: 0,
    holdoverForMs: 0,
    uncertaintyMs,
  });
  const unsynced: ReferenceClockStatus = {
    synchronized: false,
    state: 'unsynced',
    source: '127.0.0.1:123',
    reason: 'no reply',
    lastAttemptAt: null,
  };

  it.each([
    ['a synchronized reference ±0.75 ms, a tight bracket', [1_000, 1_000.01], synchronizedTo(0.75), 0.755],
    [
      'a synchronized reference ±0.75 ms, every bracket preempted',
      [0, 9, 10, 13, 20, 28, 30, 31.5, 40, 42],
      synchronizedTo(0.75),
      1.5,
    ],
    [
      'an unsynced reference (the bare host clock: the truth is unknown), a 2 ms bracket',
      [0, 2, 10, 12, 20, 22, 30, 32, 40, 42],
      unsynced,
      UNBOUNDED_ERROR_MS,
    ],
    [
      'a reference in holdover with no bound left (Infinity), a tight bracket',
      [1_000, 1_000.01],
      { ...holdoverFor(Number.POSITIVE_INFINITY) },
      UNBOUNDED_ERROR_MS,
    ],
  ])('a stamp carries how far its truth may be off: %s', (_case, readings, status, expectedMs) => {
    const serverId = 'server-real';
    const clocks = new BookingServerClockSet(untouchableStore, referenceWith(readings, status), [serverId], {
      scenario: 'none',
      seed: 1,
      realClock: { clock: processClock(), servers: [serverId] },
    });
    expect(clocks.read(serverId).referenceUncertaintyMs).toBeCloseTo(expectedMs, 9);
  });

  it('a simulated clock is defined against the reference: its stamp carries no uncertainty', () => {
    const clocks = new BookingServerClockSet(
      untouchableStore,
      referenceWith([1_000], synchronizedTo(0.75)),
      ['server-1'],
      {
        scenario: 'none',
        seed: 1,
      },
    );
    expect(clocks.read('server-1')).not.toHaveProperty('referenceUncertaintyMs');
  });
});

describeWithChrony('a real-clock booking server against chrony on loopback', () => {
  let chrony: ChronyServer;
  let embedded: EmbeddedPostgres;
  let pool: Pool;
  let store: PostgresEventStore;
  let run = 0;

  beforeAll(async () => {
    chrony = await startChrony();
    embedded = await startEmbeddedPostgres();
    pool = new Pool({ connectionString: embedded.connectionString, max: 3 });
    store = new PostgresEventStore({ pool, kind: 'pglite' });
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await embedded?.close();
    await chrony?.stop();
  });

  /**
   * The reference is the unskewed host clock here: chrony serves the host clock, so it is the truth,
   * read through its own sub-ms anchor, whose uncertainty (a spin preempted on a loaded machine) is
   * the one error it adds.
   */
  let referenceUncertaintyMs = 0;
  const hostReference = (): ReferenceClock => {
    const host = createTightPreciseHostClock();
    referenceUncertaintyMs = host.uncertaintyMs;
    return {
      nowMs: () => host.nowMs(),
      status: () => ({
        synchronized: true,
        source: 'host',
        offsetMs: 0,
        roundTripDelayMs: 0,
        stratum: 0,
        lastSyncAt: 0,
        uncertaintyMs: host.uncertaintyMs,
      }),
    };
  };

  const realClocks = async (server: string) => {
    run += 1;
    const serverId = `server-real-${run}`;
    const clock = new RealProcessClock({
      server,
      timeoutMs: 500,
      panicThresholdMs: 1e6,
      samplesPerSync: LOADED_MACHINE_BURST,
      wallNowMs: skewedWall,
    });
    const clocks = new BookingServerClockSet(store, hostReference(), [serverId], {
      scenario: 'minor_drift',
      seed: 1,
      realClock: { clock, servers: [serverId] },
    });
    await clocks.restore();
    return { clocks, serverId, clock };
  };

  it('measures the wall clock +2.5 s to within 1 ms, with real t1…t4 and the root distance as bound', async () => {
    const clock = new RealProcessClock({
      server: `127.0.0.1:${chrony.port}`,
      timeoutMs: 500,
      panicThresholdMs: 1e6,
      samplesPerSync: LOADED_MACHINE_BURST,
      wallNowMs: skewedWall,
    });
    const { state, exchange } = await clock.synchronize('server-1');
    expect(Math.abs(state.estimatedOffsetMs - SKEW_MS)).toBeLessThanOrEqual(1);
    expect(exchange.thetaMs).toBeCloseTo(-state.estimatedOffsetMs, 9);
    const { t1, t2, t3, t4 } = exchange.timestamps;
    // t1, t4 on the skewed clock, t2, t3 on chrony's (the host's): 2.5 s apart, in order on each clock.
    expect(t2 - t1).toBeLessThan(-SKEW_MS + 5);
    expect(t4).toBeGreaterThanOrEqual(t1);
    expect(t3).toBeGreaterThanOrEqual(t2);
    expect(state.errorBoundAtSyncMs).toBeGreaterThanOrEqual(Math.max(0, exchange.roundTripDelayMs) / 2);
    expect(state.errorBoundAtSyncMs).toBeLessThan(5);
    expect(state.lastSyncServerMs).toBe(t4);
  });

  it('records the real exchange as ClockSynchronized; the attempts it stamps are skewed, corrected within the bound', async () => {
    const { clocks, serverId } = await realClocks(`127.0.0.1:${chrony.port}`);
    // A real clock has no configured model, so nothing is recorded at first start.
    expect(await store.readStream(clockStreamId(serverId))).toEqual([]);
    const { sync } = await clocks.sync(serverId);
    expect(Math.abs(sync.estimatedOffsetAfterMs - SKEW_MS)).toBeLessThanOrEqual(1);
    expect(Math.abs(sync.trueOffsetMs - SKEW_MS)).toBeLessThanOrEqual(1);
    expect((await store.readStream(clockStreamId(serverId))).map((event) => event.type)).toEqual(['ClockSynchronized']);

    const reading = clocks.read(serverId);
    expect(Math.abs(reading.serverTimeMs - reading.referenceTimeMs - SKEW_MS)).toBeLessThanOrEqual(2);
    // The reference here is the bare host clock: beside the server's bound, only its anchor's
    // uncertainty counts (CI once saw 0.25 ms over the bound with a single, possibly loose, anchor).
    // A reading reads the two clocks one after the other; a pause between the reads (GC, another
    // process on the core) only adds error, so the cleanest of a few readings is the one to judge.
    const cleanest = Math.min(
      ...Array.from({ length: 5 }, () => {
        const again = clocks.read(serverId);
        return Math.abs(again.ntpCorrectedTimeMs - again.referenceTimeMs) - again.errorBoundMs;
      }),
    );
    expect(cleanest).toBeLessThanOrEqual(0.1 + referenceUncertaintyMs);
    // The stamp says so itself (the reference's bound, its anchor here, and half its bracket), and
    // the lab's scoring, allowing for it, finds the bound held.
    expect(reading).toHaveProperty('referenceUncertaintyMs');
    expect(reading.referenceUncertaintyMs!).toBeGreaterThanOrEqual(referenceUncertaintyMs);
    // Judged, as above, on the cleanest of a few readings: a pause inside the server's own read
    // (its sub-ms anchor) is error neither bound covers.
    const scored = Array.from({ length: 5 }, () => ({
      ...clocks.read(serverId),
      attemptId: 'a',
      customerName: 'A',
      localDecision: 'confirmed' as const,
      logPosition: 1n,
    }));
    expect(scored.some((stamp) => !boundViolated(stamp))).toBe(true);
    expect(clocks.describe(serverId)).toMatchObject({ syncState: 'synchronized' });
  });

  it('refuses a simulated offset or scenario for a real clock', async () => {
    const { clocks, serverId } = await realClocks(`127.0.0.1:${chrony.port}`);
    await expect(clocks.configure(serverId, { offsetMs: 100 })).rejects.toBeInstanceOf(RealClockNotConfigurableError);
    await expect(clocks.applyScenario('major_drift', 1)).rejects.toThrow(/real clock \(CLOCK_SOURCE=real\)/);
    expect(await store.readStream(clockStreamId(serverId))).toEqual([]);
  });

  it('an unreachable NTP server leaves the clock unsynced (unbounded), records nothing, and says why', async () => {
    const { clocks, serverId } = await realClocks('127.0.0.1:9');
    const failure = await clocks.sync(serverId).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RealClockSyncFailedError);
    expect(String((failure as Error).message)).toMatch(/127\.0\.0\.1:9/);
    await expect(clocks.syncAll()).rejects.toThrow(/could not sync/);
    expect(clocks.describe(serverId)).toMatchObject({ syncState: 'never_synchronized', errorBoundMs: null });
    expect(await store.readStream(clockStreamId(serverId))).toEqual([]);
  });
});
