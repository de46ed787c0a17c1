import { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../event-store/embedded/embedded-postgres';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { decodeHlc } from '../domain/hybrid-logical-clock';
import { UNBOUNDED_ERROR_MS } from '../../reservations/domain/clock-reading';
import { VirtualReferenceClock } from '../ntp/virtual-reference-clock';
import { BookingServerClockSet, ServerNeverSyncsError, UnknownServerError } from './booking-server-clock-set';
import { clockStreamId } from './clock-events';

const T0 = 1_800_000_000_000;
const SERVERS = ['server-1', 'server-2', 'server-3'];

describe('booking server clocks, recorded in a real event store (PGlite)', () => {
  let embedded: EmbeddedPostgres;
  let pool: Pool;
  let store: PostgresEventStore;
  let reference: VirtualReferenceClock;
  let run = 0;

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres();
    pool = new Pool({ connectionString: embedded.connectionString, max: 3 });
    store = new PostgresEventStore({ pool, kind: 'pglite' });
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await embedded.close();
  });

  /** Each test gets its own server ids, hence its own clock streams in the shared log. */
  const freshClocks = async (scenario = 'synchronized') => {
    run += 1;
    reference = new VirtualReferenceClock(T0);
    const ids = SERVERS.map((id) => `${id}-t${run}`);
    const clocks = new BookingServerClockSet(store, reference, ids, { scenario, seed: 1 });
    await clocks.restore();
    return { clocks, ids };
  };

  it('records the default scenario on first start, and a restart restores configuration and sync state', async () => {
    const { clocks, ids } = await freshClocks('major_drift');
    const [first] = ids as [string];
    expect((await store.readStream(clockStreamId(first))).map((event) => event.type)).toEqual(['ClockConfigured']);
    await clocks.configure(first, { offsetMs: 4321, jitterMs: 0, driftPpm: 0 });
    await clocks.sync(first);

    const restarted = new BookingServerClockSet(store, reference, ids, { scenario: 'none', seed: 9 });
    await restarted.restore();
    expect(restarted.get(first).config).toMatchObject({ offsetMs: 4321, jitterMs: 0 });
    expect(restarted.get(first).sync).toEqual(clocks.get(first).sync);
    expect(restarted.get(first).configuredBy.source).toBe('manual');
    // Nothing re-recorded: the restart only read the log.
    expect((await store.readStream(clockStreamId(first))).map((event) => event.type)).toEqual([
      'ClockConfigured',
      'ClockConfigured',
      'ClockSynchronized',
    ]);
  });

  it("reads the server's skewed time, and after a symmetric sync corrects it exactly", async () => {
    const { clocks, ids } = await freshClocks();
    const [first] = ids as [string];
    await clocks.configure(first, {
      offsetMs: -7500,
      jitterMs: 0,
      driftPpm: 0,
      outboundDelayMs: 20,
      inboundDelayMs: 20,
    });
    const unsynced = clocks.read(first);
    expect(unsynced.serverTimeMs - unsynced.referenceTimeMs).toBe(-7500);
    expect(unsynced.errorBoundMs).toBe(UNBOUNDED_ERROR_MS);

    const { sync } = await clocks.sync(first);
    expect(sync.estimatedOffsetAfterMs).toBeCloseTo(-7500, 6);
    expect(sync.delayMs).toBeCloseTo(40, 6);
    expect(sync.trueOffsetMs).toBe(-7500);
    reference.advance(1000);
    const reading = clocks.read(first);
    expect(reading.ntpCorrectedTimeMs).toBeCloseTo(reading.referenceTimeMs, 6);
    expect(reading.errorBoundMs).toBeGreaterThanOrEqual(20);
  });

  it('asymmetric delays make NTP wrong by half the asymmetry', async () => {
    const { clocks, ids } = await freshClocks();
    const [first] = ids as [string];
    await clocks.configure(first, {
      offsetMs: 3000,
      jitterMs: 0,
      driftPpm: 0,
      outboundDelayMs: 90,
      inboundDelayMs: 10,
    });
    const { sync } = await clocks.sync(first);
    expect(sync.estimatedOffsetAfterMs - sync.trueOffsetMs).toBeCloseTo(-(90 - 10) / 2, 6);
  });

  it('refuses to sync a server configured never to sync, and names unknown servers', async () => {
    const { clocks, ids } = await freshClocks();
    await clocks.configure(ids[1]!, { neverSyncs: true });
    await expect(clocks.sync(ids[1]!)).rejects.toBeInstanceOf(ServerNeverSyncsError);
    expect(await clocks.syncAll()).toBe(2);
    expect(() => clocks.read('server-99')).toThrow(UnknownServerError);
    expect(() => clocks.read('server-99')).toThrow(/server-99/);
  });

  it("pushes every other server's hybrid logical clock past an attempt it reads from the log", async () => {
    const { clocks, ids } = await freshClocks();
    const [ahead, behind] = ids as [string, string];
    await clocks.configure(ahead, { offsetMs: 20_000, jitterMs: 0 });
    await clocks.configure(behind, { offsetMs: -20_000, jitterMs: 0 });
    const remote = clocks.read(ahead);
    clocks.observe(remote.hlc);
    const local = decodeHlc(clocks.read(behind).hlc);
    const seen = decodeHlc(remote.hlc);
    // The server 20 s behind now stamps after the attempt it saw, despite its slow clock.
    expect(local.wallMs > seen.wallMs || (local.wallMs === seen.wallMs && local.logical > seen.logical)).toBe(true);
  });

  it('applies a scenario to every server the same way for the same seed', async () => {
    const { clocks, ids } = await freshClocks();
    await clocks.applyScenario('extreme_drift', 42);
    const first = ids.map((id) => clocks.get(id).config.offsetMs);
    await clocks.applyScenario('extreme_drift', 42);
    expect(ids.map((id) => clocks.get(id).config.offsetMs)).toEqual(first);
    for (const offset of first) expect(Math.abs(offset)).toBeGreaterThan(15_000);
  });

  it('told never to sync, a server is unbounded from that moment (point 4: it stayed "±12 ms" while 21.7 s off)', async () => {
    const { clocks, ids } = await freshClocks();
    const [first] = ids as [string];
    await clocks.configure(first, { offsetMs: 0, jitterMs: 0, outboundDelayMs: 10, inboundDelayMs: 10 });
    await clocks.sync(first);
    expect(clocks.read(first).errorBoundMs).toBeLessThan(100);
    await clocks.configure(first, { offsetMs: 21_700, neverSyncs: true });
    const reading = clocks.read(first);
    expect(reading.errorBoundMs).toBe(UNBOUNDED_ERROR_MS);
    expect(clocks.describe(first).errorBoundMs).toBeNull();
    // It still applies the estimate it last had, as a daemon in holdover would: wrong, and now honestly unbounded.
    expect(reading.estimatedOffsetMs).toBeCloseTo(0, 6);
  });

  it('applying a scenario drops the old estimates: the new clocks are unbounded until they sync', async () => {
    const { clocks, ids } = await freshClocks();
    const [first] = ids as [string];
    await clocks.sync(first);
    await clocks.applyScenario('extreme_drift', 7);
    expect(clocks.read(first)).toMatchObject({ errorBoundMs: UNBOUNDED_ERROR_MS, estimatedOffsetMs: 0 });
    await clocks.sync(first);
    expect(clocks.read(first).errorBoundMs).toBeLessThan(1000);
  });

  it('a sync that finds a jump past the bound records ClockStepDetected for the epoch stamped since the last sync', async () => {
    const { clocks, ids } = await freshClocks();
    const [first] = ids as [string];
    await clocks.configure(first, { offsetMs: 500, jitterMs: 0, outboundDelayMs: 5, inboundDelayMs: 5 });
    await clocks.sync(first);
    const stamped = clocks.read(first);
    // An operator steps the clock by 4 s (a requested step): NTP does not know until the next sync.
    await clocks.configure(first, { offsetMs: 4500 });
    reference.advance(1000);
    const { stepDetected } = await clocks.sync(first);
    expect(stepDetected).toMatchObject({ serverId: first, suspectSyncEpoch: stamped.syncEpoch });
    expect(stepDetected!.jumpMs).toBeCloseTo(4000, 3);
    expect(clocks.read(first).syncEpoch).toBe(stamped.syncEpoch! + 1);
    const types = (await store.readStream(clockStreamId(first))).map((event) => event.type);
    expect(types.slice(-2)).toEqual(['ClockSynchronized', 'ClockStepDetected']);
    // A drift within its bound is no step.
    reference.advance(1000);
    expect((await clocks.sync(first)).stepDetected).toBeNull();
  });

  it('a sync older than the stale limit leaves no bound', async () => {
    run += 1;
    reference = new VirtualReferenceClock(T0);
    const ids = SERVERS.map((id) => `${id}-t${run}`);
    const clocks = new BookingServerClockSet(store, reference, ids, {
      scenario: 'synchronized',
      seed: 1,
      staleSyncAfterMs: 60_000,
    });
    await clocks.restore();
    await clocks.sync(ids[0]!);
    reference.advance(59_000);
    expect(clocks.read(ids[0]!).errorBoundMs).toBeLessThan(UNBOUNDED_ERROR_MS);
    reference.advance(2_000);
    expect(clocks.read(ids[0]!).errorBoundMs).toBe(UNBOUNDED_ERROR_MS);
  });

  it('resumes every hybrid logical clock past the stamps already in the log after a restart', async () => {
    const { clocks, ids } = await freshClocks();
    const [first, second] = ids as [string, string];
    const issued = clocks.read(first).hlc;
    const restarted = new BookingServerClockSet(store, reference, ids, { scenario: 'synchronized', seed: 1 });
    await restarted.restore();
    restarted.resumeHlc([issued]);
    expect(restarted.read(first).hlc > issued).toBe(true);
    expect(restarted.read(second).hlc.slice(0, 26) >= issued.slice(0, 26)).toBe(true);
  });
});
