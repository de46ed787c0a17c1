/**
 * Issue 12's real-clock acceptance, with real clocks only: two backend OS
 * processes in cluster mode on one PostgreSQL database, both CLOCK_SOURCE=real
 * against chrony on loopback. Node "skewed" runs under libfaketime +2.5 s and
 * hosts server-1; node "true" runs on the host clock and hosts server-2.
 * The skewed node measures +2.5 s, its attempts carry it, and an attempt made
 * first on it loses by server clock yet wins by NTP-corrected time.
 * Skipped, with the reason printed, without chrony, libfaketime or TEST_DATABASE_URL.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chronyUnavailableReason, startChrony, type ChronyServer } from '../src/clocks/ntp/testing/chrony-server';
import { openThrowawayDatabase, type TestDatabase } from '../src/testing/test-databases';
import { operatorHeadersFor } from './app-harness';
import { eventually, withDatabase } from './cluster/cluster-nodes';
import { startBackendProcess, type BackendProcess } from './faults/backend-process';

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const SKEW_MS = 2500;
/**
 * What a pause during a stamp's reads may still add: its truth is the midpoint of two reference reads
 * around the server's (the narrowest of up to five brackets), so half a bracket preempted five times.
 */
const STAMP_READ_GAP_MS = 0.1;
/** A sync whose bound is this tight can show ±1 ms; a looser one is repeated (a few times at most). */
const TIGHT_SYNC_BOUND_MS = 0.25;
const fakedClock = (skew: string): Record<string, string> => ({
  LD_PRELOAD: LIBFAKETIME,
  FAKETIME: skew,
  // Timers and hrtime stay real: only the wall clock is skewed.
  FAKETIME_DONT_FAKE_MONOTONIC: '1',
});

/** Why libfaketime cannot skew a node process here, or undefined when it can (measured, not assumed). */
const faketimeUnavailableReason = (): string | undefined => {
  if (!existsSync(LIBFAKETIME)) return `${LIBFAKETIME} is missing (apt-get install -y faketime)`;
  const before = Date.now();
  const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(Date.now()))'], {
    env: { PATH: process.env['PATH'] ?? '', ...fakedClock('+2.5s') },
    encoding: 'utf8',
    timeout: 10_000,
  });
  const skewMs = Number(probe.stdout) - before;
  if (probe.status !== 0 || !(skewMs > 2400 && skewMs < 3500))
    return `libfaketime did not skew a node process by +2.5 s (status ${probe.status}, measured ${skewMs} ms)`;
  return undefined;
};

const ADMIN_URL = process.env['TEST_DATABASE_URL'];
const skipReason =
  chronyUnavailableReason() ??
  faketimeUnavailableReason() ??
  (ADMIN_URL ? undefined : 'set TEST_DATABASE_URL to a PostgreSQL server (two processes share its log)');
if (skipReason) console.log(`real-clock e2e skipped: ${skipReason}`);
const describeIfReal = skipReason ? describe.skip : describe;

jest.setTimeout(180_000);

interface TimeStatus {
  server_id: string;
  server_time_ms: number;
  reference_time_ms: number;
  true_offset_ms: number;
  estimated_offset_ms: number | null;
  error_bound_ms: number | null;
  sync_state: string;
  ntp_source: ReferenceStatus;
}

interface ReferenceStatus {
  state: string;
  offset_ms: number | null;
  uncertainty_ms: number | null;
  slew_remaining_ms: number;
  sources: { offset_ms: number | null; root_distance_ms: number | null }[];
}

/** What a failure on a loaded machine needs explained: where the reference stands, and why. */
const describeReference = (reference: ReferenceStatus): string =>
  `offset ${reference.offset_ms?.toFixed(3)} ± ${reference.uncertainty_ms?.toFixed(3)} ms, ` +
  `slew remaining ${reference.slew_remaining_ms.toFixed(3)} ms, last measurement ` +
  reference.sources.map((s) => `${s.offset_ms?.toFixed(3)} ± ${s.root_distance_ms?.toFixed(3)} ms`).join(', ');

interface AttemptClock {
  serverTimeMs: number;
  referenceTimeMs: number;
  estimatedOffsetMs: number;
  errorBoundMs: number;
  ntpCorrectedTimeMs: number;
  /** The reference's own uncertainty plus half the bracket: a real clock's stamp always has one. */
  referenceUncertaintyMs?: number;
}

const getJson = async <T>(url: string): Promise<T> => {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
};

const reserve = async (baseUrl: string, seatId: number, customer: string, serverId: string): Promise<string> => {
  const response = await fetch(`${baseUrl}/api/reservations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seat_id: seatId, customer_name: customer, server_id: serverId }),
  });
  if (response.status !== 201) throw new Error(`reservation answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
};

const attemptClock = (url: string, attemptId: string): Promise<AttemptClock> =>
  withDatabase(url, async (client) => {
    const { rows } = await client.query<{ data: { clock: AttemptClock } }>(
      `SELECT data FROM events WHERE type = 'ReservationAttempted' AND data->>'attemptId' = $1`,
      [attemptId],
    );
    return rows[0]!.data.clock;
  });

describeIfReal('real clocks: a booking server process under libfaketime, measured against chrony', () => {
  let chrony: ChronyServer;
  let database: TestDatabase;
  let skewed: BackendProcess;
  let unskewed: BackendProcess;
  let skewedOperator: Record<string, string>;
  let unskewedOperator: Record<string, string>;

  const startNode = (name: string, hosted: string, extra: Record<string, string>) =>
    startBackendProcess({
      DATABASE_URL: database.connectionString,
      CLUSTER_MODE: 'on',
      CLUSTER_NODE_NAME: name,
      BOOKING_SERVERS_HOSTED: hosted,
      CLOCK_SOURCE: 'real',
      NTP_SERVER: `127.0.0.1:${chrony.port}`,
      NTP_TIMEOUT_MS: '500',
      CONFLICT_WINDOW_MS: '3000',
      MAX_SEATS: '50',
      ...extra,
    });

  /** A sync on demand, once the start-up load is over (the one at bootstrap ran while Nest was still busy). */
  const syncNow = async (baseUrl: string, operator: Record<string, string>, serverId: string) => {
    const response = await fetch(`${baseUrl}/api/time/sync?server_id=${serverId}`, {
      method: 'POST',
      headers: operator,
    });
    if (response.status !== 200) throw new Error(`sync answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { estimated_offset_after_ms: number; delay_ms: number; error_bound_ms: number };
  };
  /**
   * Syncs until one is tight, as an operator would on seeing a wide bound: on a loaded machine an
   * exchange can take 3 ms (bound 1.7 ms, estimate 1.6 ms off, within it), which says nothing of ±1 ms.
   */
  const syncTight = async (baseUrl: string, operator: Record<string, string>, serverId: string) => {
    let sync = await syncNow(baseUrl, operator, serverId);
    for (let attempt = 1; attempt < 5 && sync.error_bound_ms > TIGHT_SYNC_BOUND_MS; attempt += 1)
      sync = await syncNow(baseUrl, operator, serverId);
    return sync;
  };

  beforeAll(async () => {
    chrony = await startChrony();
    database = await openThrowawayDatabase(ADMIN_URL!, 'lab_realclock');
    [skewed, unskewed] = await Promise.all([
      startNode('skewed', 'server-1', fakedClock(`+${SKEW_MS / 1000}s`)),
      startNode('true', 'server-2', {}),
    ]);
    skewedOperator = await operatorHeadersFor(skewed.baseUrl);
    unskewedOperator = await operatorHeadersFor(unskewed.baseUrl);
  });
  afterAll(async () => {
    await Promise.all([skewed?.stop(), unskewed?.stop()]);
    await database?.dispose();
    await chrony?.stop();
  });

  it('the node under FAKETIME="+2.5s" measures +2500 ms ± 1 ms against chrony; the other measures 0 ± 1 ms', async () => {
    const skewedSync = await syncTight(skewed.baseUrl, skewedOperator, 'server-1');
    const unskewedSync = await syncTight(unskewed.baseUrl, unskewedOperator, 'server-2');
    const status = await getJson<TimeStatus>(`${skewed.baseUrl}/api/time/status?server_id=server-1`);
    console.log(
      `skewed node: sync estimate ${skewedSync.estimated_offset_after_ms.toFixed(3)} ms (δ ${skewedSync.delay_ms.toFixed(3)} ms, ` +
        `bound ${skewedSync.error_bound_ms.toFixed(3)} ms), true offset ${status.true_offset_ms.toFixed(3)} ms, ` +
        `reference offset ${status.ntp_source.offset_ms?.toFixed(3)} ms; unskewed node: ${unskewedSync.estimated_offset_after_ms.toFixed(3)} ms`,
    );
    console.log(`skewed node's reference: ${describeReference(status.ntp_source)}`);
    // ±1 ms once a sync is tight; if none was (a machine loaded throughout), the bound it claims.
    expect(Math.abs(skewedSync.estimated_offset_after_ms - SKEW_MS)).toBeLessThanOrEqual(
      Math.max(1, skewedSync.error_bound_ms),
    );
    expect(Math.abs(unskewedSync.estimated_offset_after_ms)).toBeLessThanOrEqual(
      Math.max(1, unskewedSync.error_bound_ms),
    );
    expect(status).toMatchObject({ sync_state: 'synchronized', ntp_source: { state: 'synchronized' } });
    expect(Math.abs(status.estimated_offset_ms! - SKEW_MS)).toBeLessThanOrEqual(Math.max(1, skewedSync.error_bound_ms));
    // The truth is this process's reference: its host clock corrected by its own measurement (≈ −2.5 s),
    // made while the process was starting, so it is only as good as its own uncertainty.
    const referenceUncertaintyMs = status.ntp_source.uncertainty_ms ?? 0;
    expect(Math.abs(status.ntp_source.offset_ms! + SKEW_MS)).toBeLessThanOrEqual(1 + referenceUncertaintyMs);
    expect(Math.abs(status.true_offset_ms - SKEW_MS)).toBeLessThanOrEqual(1 + referenceUncertaintyMs);
  });

  it('an attempt on the skewed node carries its real skew, and NTP correction brings it back within the bound', async () => {
    const id = await reserve(skewed.baseUrl, 30, 'Stamp', 'server-1');
    const clock = await attemptClock(database.connectionString, id);
    const reference = (await getJson<TimeStatus>(`${skewed.baseUrl}/api/time/status?server_id=server-1`)).ntp_source;
    console.log(
      `stamps: server_time − reference = ${(clock.serverTimeMs - clock.referenceTimeMs).toFixed(3)} ms, ` +
        `corrected − reference = ${(clock.ntpCorrectedTimeMs - clock.referenceTimeMs).toFixed(3)} ms, ` +
        `bound ${clock.errorBoundMs.toFixed(3)} ms, reference uncertainty ${reference.uncertainty_ms?.toFixed(3)} ms ` +
        `(the stamp's: ${clock.referenceUncertaintyMs?.toFixed(3)} ms)`,
    );
    console.log(`skewed node's reference: ${describeReference(reference)}`);
    // The truth is itself measured: its own uncertainty widens the 3 ms this comparison always had
    // (a reference measured while a loaded machine started the process was 3.2 ms off, ±3.197 ms).
    expect(Math.abs(clock.serverTimeMs - clock.referenceTimeMs - SKEW_MS)).toBeLessThanOrEqual(
      Math.max(3, 1 + (reference.uncertainty_ms ?? 0)),
    );
    expect(Math.abs(clock.estimatedOffsetMs - SKEW_MS)).toBeLessThanOrEqual(Math.max(1, clock.errorBoundMs));
    // Whatever is left of the time between a stamp's reads is error neither bound covers (read one
    // after the other, CI saw 0.194 ms against 0.027 + 0.164 ms; 15 ms on three busy loops).
    expect(Math.abs(clock.ntpCorrectedTimeMs - clock.referenceTimeMs)).toBeLessThanOrEqual(
      clock.errorBoundMs + (reference.uncertainty_ms ?? 0) + STAMP_READ_GAP_MS,
    );
    // The stamp records how far its truth may be off, so the lab's scoring can allow for it.
    expect(clock.referenceUncertaintyMs).toBeGreaterThan(0);
  });

  it('refuses a simulated offset or scenario on the real-clock node with 409 and says why', async () => {
    const put = await fetch(`${skewed.baseUrl}/api/simulation/offsets/server-1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...skewedOperator },
      body: JSON.stringify({ offset_ms: 100 }),
    });
    expect(put.status).toBe(409);
    expect(((await put.json()) as { message: string }).message).toMatch(/real clock \(CLOCK_SOURCE=real\).*FAKETIME/);
    const scenario = await fetch(`${skewed.baseUrl}/api/simulation/scenarios/major_drift/apply`, {
      method: 'POST',
      headers: skewedOperator,
    });
    expect(scenario.status).toBe(409);
  });

  it('first in truth on the skewed node, second on the true one: an inversion, resolved for the first', async () => {
    const ana = await reserve(skewed.baseUrl, 7, 'Ana', 'server-1');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const bob = await reserve(unskewed.baseUrl, 7, 'Bob', 'server-2');
    const [anaClock, bobClock] = await Promise.all([ana, bob].map((id) => attemptClock(database.connectionString, id)));
    console.log(
      `inversion: Ana server ${anaClock.serverTimeMs.toFixed(1)} corrected ${anaClock.ntpCorrectedTimeMs.toFixed(1)}, ` +
        `Bob server ${bobClock.serverTimeMs.toFixed(1)} corrected ${bobClock.ntpCorrectedTimeMs.toFixed(1)} ` +
        `(Bob − Ana: server ${(bobClock.serverTimeMs - anaClock.serverTimeMs).toFixed(1)} ms, ` +
        `corrected ${(bobClock.ntpCorrectedTimeMs - anaClock.ntpCorrectedTimeMs).toFixed(1)} ms, ` +
        `truth ${(bobClock.referenceTimeMs - anaClock.referenceTimeMs).toFixed(1)} ms)`,
    );
    // The real clocks disagree with the real order, and NTP puts it right.
    expect(bobClock.serverTimeMs).toBeLessThan(anaClock.serverTimeMs);
    expect(anaClock.ntpCorrectedTimeMs).toBeLessThan(bobClock.ntpCorrectedTimeMs);
    expect(anaClock.referenceTimeMs).toBeLessThan(bobClock.referenceTimeMs);

    const conflict = await eventually(
      async () => {
        const list = await getJson<{ items: { seat_id: number; kinds: string[]; witness: unknown }[] }>(
          `${unskewed.baseUrl}/api/conflicts?kind=inversion&seat_id=7`,
        );
        return list.items[0];
      },
      20_000,
      'the inversion on seat 7',
    );
    const witness = conflict.witness as {
      winners: Record<string, { customer_name: string }>;
      attempts: { customer_name: string; reference_uncertainty_ms: number }[];
    };
    // Both truths were measured, on two nodes: the witness shows each one's uncertainty.
    expect(witness.attempts.map((attempt) => attempt.reference_uncertainty_ms > 0)).toEqual([true, true]);
    expect(conflict.kinds).toContain('inversion');
    expect(conflict.kinds).not.toContain('ambiguous');
    expect(witness.winners['server_clock']!.customer_name).toBe('Bob');
    expect(witness.winners['ntp_corrected']!.customer_name).toBe('Ana');
    expect(witness.winners['truth']!.customer_name).toBe('Ana');

    for (const node of [skewed, unskewed]) {
      const seat = await eventually(
        async () => {
          const value = await getJson<{ is_available: boolean; reservation: { customer_name: string } | null }>(
            `${node.baseUrl}/api/seats/7`,
          );
          return value.is_available ? undefined : value;
        },
        20_000,
        'seat 7 settled',
      );
      expect(seat.reservation!.customer_name).toBe('Ana');
    }
    const assigned = await withDatabase(database.connectionString, async (client) => {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM events WHERE stream_id = 'seat-7' AND type = 'SeatAssigned'`,
      );
      return Number(rows[0]!.n);
    });
    expect(assigned).toBe(1);
    const logs = skewed.output() + unskewed.output();
    expect(logs).toMatch(/CONFLICT DETECTED: seat 7[^\n]*inversion/);
  });
});
