import { readWholeLog, startTestApp, type RunningApp } from './app-harness';

const send = (running: RunningApp, method: string, path: string, body?: unknown) =>
  fetch(`${running.baseUrl}${path}`, {
    method,
    // Every call signs in: the operator routes are what this suite is about (access-policy.e2e.spec.ts tests the refusals).
    headers: { ...running.operatorHeaders, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

interface Offsets {
  server_id: string;
  offset_ms: number;
  drift_ppm: number;
  never_syncs: boolean;
}

describe('time and simulation API', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => {
    await running?.close();
  });

  it('GET /api/time/status answers for one server and for all', async () => {
    const one = await send(running, 'GET', '/api/time/status?server_id=server-1');
    expect(one.status).toBe(200);
    const status = (await one.json()) as Record<string, unknown>;
    for (const field of [
      'server_time',
      'reference_time',
      'configured',
      'estimated_offset_ms',
      'error_bound_ms',
      'is_synchronized',
      'last_sync_at',
      'next_sync_due',
      'ntp_source',
    ]) {
      expect(status).toHaveProperty(field);
    }
    expect(status['ntp_source']).toMatchObject({ server: '127.0.0.1:9', synchronized: false });
    const all = (await (await send(running, 'GET', '/api/time/status')).json()) as unknown[];
    expect(all).toHaveLength(5);
  });

  it('POST /api/time/sync returns the four timestamps, θ, δ, the bound and the offset before and after', async () => {
    await send(running, 'PUT', '/api/simulation/offsets/server-3', {
      offset_ms: 2500,
      jitter_ms: 0,
      outbound_delay_ms: 15,
      inbound_delay_ms: 15,
    });
    const response = await send(running, 'POST', '/api/time/sync?server_id=server-3');
    expect(response.status).toBe(200);
    const sync = (await response.json()) as Record<string, number>;
    expect(sync['offset_ms']).toBeCloseTo(-2500, 3); // θ = reference − server
    expect(sync['estimated_offset_after_ms']).toBeCloseTo(2500, 3);
    expect(sync['delay_ms']).toBeCloseTo(30, 3);
    expect(sync['error_bound_ms']).toBeGreaterThanOrEqual(15);
    expect(sync['t4_ms']! - sync['t1_ms']!).toBeCloseTo(30, 3);
    const history = (await (await send(running, 'GET', '/api/time/history?server_id=server-3')).json()) as {
      kind: string;
      estimated_offset_ms: number | null;
    }[];
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = (await (await send(running, 'GET', '/api/time/history?server_id=server-3')).json()) as typeof history;
    expect([...history, ...later].some((entry) => entry.kind === 'synchronized')).toBe(true);
  });

  it('never_syncs makes the status unbounded at once, not "synchronized ±12 ms" (resolution issue, point 4)', async () => {
    await send(running, 'PUT', '/api/simulation/offsets/server-5', { offset_ms: 0, jitter_ms: 0 });
    expect((await send(running, 'POST', '/api/time/sync?server_id=server-5')).status).toBe(200);
    const before = (await (await send(running, 'GET', '/api/time/status?server_id=server-5')).json()) as Record<
      string,
      unknown
    >;
    expect(before).toMatchObject({ is_synchronized: true, sync_state: 'synchronized' });
    await send(running, 'PUT', '/api/simulation/offsets/server-5', { offset_ms: 21_700, never_syncs: true });
    const after = (await (await send(running, 'GET', '/api/time/status?server_id=server-5')).json()) as Record<
      string,
      unknown
    >;
    expect(after).toMatchObject({ is_synchronized: false, sync_state: 'never_syncs', error_bound_ms: null });
    await send(running, 'PUT', '/api/simulation/offsets/server-5', { offset_ms: 0, never_syncs: false });
  });

  it('a forced sync after an unseen step reports the jump (ClockStepDetected)', async () => {
    await send(running, 'PUT', '/api/simulation/offsets/server-4', { offset_ms: 100, jitter_ms: 0 });
    await send(running, 'POST', '/api/time/sync?server_id=server-4');
    await send(running, 'PUT', '/api/simulation/offsets/server-4', { offset_ms: 5100 });
    const sync = (await (await send(running, 'POST', '/api/time/sync?server_id=server-4')).json()) as Record<
      string,
      number
    >;
    expect(sync['step_detected_ms']).toBeCloseTo(5000, 0);
    const log = await readWholeLog(running.store);
    expect(log.filter((event) => event.type === 'ClockStepDetected').map((event) => event.data['serverId'])).toContain(
      'server-4',
    );
  });

  it('unknown servers are 404 naming them; a server that never syncs is 409', async () => {
    for (const [method, path] of [
      ['GET', '/api/time/status?server_id=server-42'],
      ['POST', '/api/time/sync?server_id=server-42'],
      ['PUT', '/api/simulation/offsets/server-42'],
    ] as const) {
      const response = await send(running, method, path, method === 'PUT' ? { offset_ms: 1 } : undefined);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { message: string }).message).toContain('server-42');
    }
    await send(running, 'PUT', '/api/simulation/offsets/server-5', { never_syncs: true });
    expect((await send(running, 'POST', '/api/time/sync?server_id=server-5')).status).toBe(409);
    await send(running, 'PUT', '/api/simulation/offsets/server-5', { never_syncs: false });
  });

  it('PUT /api/simulation/offsets/:server_id changes the clock and records it in the log', async () => {
    const before = (await readWholeLog(running.store)).length;
    const response = await send(running, 'PUT', '/api/simulation/offsets/server-2', {
      offset_ms: -1234,
      drift_ppm: 50,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      server_id: 'server-2',
      offset_ms: -1234,
      drift_ppm: 50,
      source: 'manual',
    });
    const log = await readWholeLog(running.store);
    expect(log.length).toBe(before + 1);
    expect(log[log.length - 1]).toMatchObject({ type: 'ClockConfigured', streamId: 'clock-server-2' });
    const offsets = (await (await send(running, 'GET', '/api/simulation/offsets')).json()) as Offsets[];
    expect(offsets.find((server) => server.server_id === 'server-2')).toMatchObject({
      offset_ms: -1234,
      drift_ppm: 50,
    });
  });

  it.each([
    [{ offset_ms: 86_400_001 }, 'offset_ms'],
    [{ offset_ms: -86_400_001 }, 'offset_ms'],
    [{ drift_ppm: 1001 }, 'drift_ppm'],
    [{ drift_ppm: -5000 }, 'drift_ppm'],
    [{ outbound_delay_ms: -1 }, 'outbound_delay_ms'],
    [{ inbound_delay_ms: -0.5 }, 'inbound_delay_ms'],
    [{ jitter_ms: -3 }, 'jitter_ms'],
    [{ offset_ms: 'NaN' }, 'offset_ms'],
    [{ offset_ms: '12' }, 'offset_ms'],
    [{ drift_ppm: null }, 'drift_ppm'],
    [{ never_syncs: 'yes' }, 'never_syncs'],
    [{ colour: 'blue' }, 'colour'],
    [{}, 'offset_ms'],
  ])('rejects %j with a 400 naming %s and appends nothing', async (body, field) => {
    const before = (await readWholeLog(running.store)).length;
    const response = await send(running, 'PUT', '/api/simulation/offsets/server-1', body);
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain(field);
    expect((await readWholeLog(running.store)).length).toBe(before);
  });

  it('lists the scenarios, and each seed scenario lands in its range, the same on every apply', async () => {
    const scenarios = (await (await send(running, 'GET', '/api/simulation/scenarios')).json()) as { name: string }[];
    expect(scenarios.map((scenario) => scenario.name)).toEqual(
      expect.arrayContaining([
        'minor_drift',
        'major_drift',
        'extreme_drift',
        'drift_ppm',
        'asymmetric_network',
        'never_synced',
      ]),
    );
    const ranges: Record<string, (abs: number) => boolean> = {
      minor_drift: (abs) => abs < 2000,
      major_drift: (abs) => abs >= 5000 && abs <= 10_000,
      extreme_drift: (abs) => abs > 15_000,
    };
    for (const [name, inRange] of Object.entries(ranges)) {
      const first = await send(running, 'POST', `/api/simulation/scenarios/${name}/apply?seed=3`);
      expect(first.status).toBe(200);
      const applied = (await first.json()) as { servers: Offsets[] };
      for (const server of applied.servers) expect(inRange(Math.abs(server.offset_ms))).toBe(true);
      const again = (await (await send(running, 'POST', `/api/simulation/scenarios/${name}/apply?seed=3`)).json()) as {
        servers: Offsets[];
      };
      expect(again.servers.map((server) => server.offset_ms)).toEqual(
        applied.servers.map((server) => server.offset_ms),
      );
    }
    const neverSynced = (await (
      await send(running, 'POST', '/api/simulation/scenarios/never_synced/apply')
    ).json()) as {
      servers: Offsets[];
    };
    expect(neverSynced.servers.some((server) => server.never_syncs)).toBe(true);
  });

  it('an unknown scenario is a 404 listing the known ones; a bad seed is a 400', async () => {
    const response = await send(running, 'POST', '/api/simulation/scenarios/solar_flare/apply');
    expect(response.status).toBe(404);
    const { message } = (await response.json()) as { message: string };
    expect(message).toContain('solar_flare');
    expect(message).toContain('extreme_drift');
    expect((await send(running, 'POST', '/api/simulation/scenarios/minor_drift/apply?seed=abc')).status).toBe(400);
  });
});

describe('with SIMULATION_ENABLED=false', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp({ SIMULATION_ENABLED: 'false' });
  });
  afterAll(async () => {
    await running?.close();
  });

  it.each([
    ['GET', '/api/simulation/offsets'],
    ['PUT', '/api/simulation/offsets/server-1'],
    ['GET', '/api/simulation/scenarios'],
    ['POST', '/api/simulation/scenarios/extreme_drift/apply'],
  ])('%s %s answers 403', async (method, path) => {
    const response = await send(running, method, path, method === 'PUT' ? { offset_ms: 5 } : undefined);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toMatch(/SIMULATION_ENABLED=false/);
  });

  it('time status still answers', async () => {
    expect((await send(running, 'GET', '/api/time/status?server_id=server-1')).status).toBe(200);
  });
});
