/** The CLI's HTTP conversations, against a scripted backend: a run's report as JSON, and Ctrl-C during a live session. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeBackend, runCli } from './cli-harness';

const accuracy = { server_clock: 0.5, ntp_corrected: 1, log_order: 1, hlc: 0.5, truth: 1 };
const finishedRun = {
  id: 'r1',
  status: 'completed',
  phase: 'done',
  progress: 1,
  total_attempts: 20,
  appended_attempts: 20,
  error: null,
  append_ms: 5,
  projection_ms: 5,
  parameters: { scenario: 'major_drift', seed: 1 },
  clocks: [],
  report: {
    attempts: 20,
    contended_seats: 4,
    settled_seats: 4,
    conflicts: { contention: 4, inversion: 2, ambiguous: 0 },
    accuracy,
    authority: { seats: 4, correct: 3, accuracy: 0.75 },
    wrong_holders: { ambiguous: 1, bound_violation: 0, late_arrival: 0, unexplained: 0 },
    servers: [{ server_id: 'server-1', attempts: 20, bound_violations: 2, out_of_bound: 0, steps_detected: 0 }],
    worst_inversion: null,
    read_model_matches_run: true,
  },
};

describe('ntp-sim against a backend', () => {
  it('run --json prints the report of the finished run', async () => {
    let polls = 0;
    const backend = await fakeBackend((request, body) => {
      if (request.method === 'POST' && request.url === '/api/simulation/runs') {
        expect(JSON.parse(body)).toMatchObject({
          scenario: 'major_drift',
          seed: 1,
          seats: 4,
          attempts_per_seat: 5,
          overrides: { 'server-2': { offset_ms: 0 } },
        });
        return { status: 202, json: { ...finishedRun, status: 'running', progress: 0, report: null } };
      }
      if (request.url === '/api/simulation/runs/r1') {
        polls += 1;
        return { json: polls < 2 ? { ...finishedRun, status: 'running', progress: 0.5, report: null } : finishedRun };
      }
      return undefined;
    });
    try {
      const result = await runCli([
        'run',
        '--api',
        backend.url,
        '--seed',
        '1',
        '--seats',
        '4',
        '--attempts',
        '5',
        '--offset',
        'server-2=0',
        '--json',
      ]);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report).toMatchObject({
        run_id: 'r1',
        attempts: 20,
        conflicts: { inversion: 2 },
        accuracy,
        authority: { seats: 4, correct: 3 },
        bound_violations: 2,
      });
    } finally {
      await backend.close();
    }
  });

  it('Ctrl-C during a live session stops and reports what was done', async () => {
    const backend = await fakeBackend((request) => {
      if (request.url?.startsWith('/api/simulation/scenarios/major_drift/apply')) return { json: [] };
      if (request.url === '/api/seats') {
        // Seats never settle: the CLI waits until interrupted.
        return { json: [1, 2].map((id) => ({ id, status: 'free', attempts_count: 0, reservation: null })) };
      }
      if (request.url === '/api/reservations')
        return { status: 201, json: { id: `a-${Math.random()}`, status: 'confirmed' } };
      const timeline = /^\/api\/seats\/(\d+)\/timeline$/.exec(request.url ?? '');
      if (timeline) return { json: { seat_id: Number(timeline[1]), attempts: [], winners: null, kinds: [] } };
      if (request.url?.startsWith('/api/conflicts')) return { json: { total: 0 } };
      if (request.url === '/api/stats') return { json: { attempts: 0 } };
      return undefined;
    });
    try {
      const result = await runCli(
        ['live', '--api', backend.url, '--seats', '2', '--attempts', '3', '--spread-ms', '50', '--json'],
        {
          interruptAfterMs: 1500,
        },
      );
      expect(result.code).toBe(130);
      expect(result.stderr).toContain('interrupted');
      const report = JSON.parse(result.stdout);
      expect(report.details).toMatchObject({ interrupted: true, attempts_fired: 6 });
      expect(backend.requests.filter((line) => line === 'POST /api/reservations')).toHaveLength(6);
    } finally {
      await backend.close();
    }
  });

  describe('as the operator', () => {
    const signingBackend = (authorizations: string[]) =>
      fakeBackend((request, body) => {
        if (request.method === 'POST' && request.url === '/api/auth/token') {
          const { password } = JSON.parse(body) as { password: string };
          return password === 'pw-from-file'
            ? { json: { access_token: 'tok-123', token_type: 'bearer', expires_in: 1800, role: 'operator' } }
            : { status: 401, json: { statusCode: 401, message: 'wrong user name or password' } };
        }
        if (request.url?.startsWith('/api/simulation/scenarios/major_drift/apply')) {
          authorizations.push(request.headers.authorization ?? '(none)');
          return request.headers.authorization === 'Bearer tok-123'
            ? { json: [] }
            : { status: 401, json: { statusCode: 401, message: 'sign in' } };
        }
        return undefined;
      });

    it('--password-file signs in once and sends the token on the write', async () => {
      const authorizations: string[] = [];
      const backend = await signingBackend(authorizations);
      const file = join(mkdtempSync(join(tmpdir(), 'ntp-sim-')), 'operator-password');
      writeFileSync(file, 'pw-from-file\n', { mode: 0o600 });
      try {
        const result = await runCli(['apply', 'major_drift', '--api', backend.url, '--password-file', file, '--json']);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(authorizations).toEqual(['Bearer tok-123']);
        expect(backend.requests.filter((line) => line === 'POST /api/auth/token')).toHaveLength(1);
      } finally {
        await backend.close();
      }
    });

    it('--token is sent as is; without any credentials a 401 says how to sign in (exit 1)', async () => {
      const authorizations: string[] = [];
      const backend = await signingBackend(authorizations);
      try {
        expect((await runCli(['apply', 'major_drift', '--api', backend.url, '--token', 'tok-123'])).code).toBe(0);
        const refused = await runCli(['apply', 'major_drift', '--api', backend.url]);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/401.*--token \(or NTP_LAB_TOKEN\).*--password-file/);
        expect(authorizations).toEqual(['Bearer tok-123', '(none)']);
      } finally {
        await backend.close();
      }
    });
  });
});
