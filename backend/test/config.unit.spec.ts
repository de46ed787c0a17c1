/**
 * Configuration is validated at start: a wrong value stops the process with a
 * message naming the variable. Unit cases for loadConfig, plus one run of the
 * built process to prove the "stops the process" half.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError, loadConfig } from '../src/config/environment';

const configErrorFor = (env: Record<string, string>): ConfigurationError => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
};

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.EVENTSTORE_CONNECTION_STRING).toBeUndefined();
    expect(config).toMatchObject({
      PORT: 8000,
      HOST: '0.0.0.0',
      PGLITE_DATA_DIR: '.data/pglite',
      ALGORITHM: 'HS256',
      ACCESS_TOKEN_EXPIRE_MINUTES: 30,
      NTP_SERVER: 'pool.ntp.org',
      TIME_SYNC_INTERVAL: 60,
      MAX_SEATS: 100,
      BOOKING_SERVERS: 5,
      CONFLICT_WINDOW_MS: 2000,
      SIMULATION_ENABLED: true,
    });
  });

  it('reads the seed variables and converts their types', () => {
    const config = loadConfig({
      PORT: '8081',
      MAX_SEATS: '250',
      SIMULATION_ENABLED: 'false',
      DATABASE_URL: 'postgresql://lab:lab@127.0.0.1:5432/lab',
      EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false',
      TIME_SYNC_INTERVAL: '30',
    });
    expect(config).toMatchObject({
      PORT: 8081,
      MAX_SEATS: 250,
      SIMULATION_ENABLED: false,
      DATABASE_URL: 'postgresql://lab:lab@127.0.0.1:5432/lab',
      EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false',
      TIME_SYNC_INTERVAL: 30,
    });
  });

  it('treats an empty DATABASE_URL as unset (the embedded store)', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['MAX_SEATS', 'abc'],
    ['MAX_SEATS', '0'],
    ['MAX_SEATS', '2.5'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['SIMULATION_ENABLED', 'maybe'],
    ['DATABASE_URL', 'mysql://x'],
    ['EVENTSTORE_CONNECTION_STRING', 'http://127.0.0.1:2113'],
    ['ALGORITHM', 'RS256'],
    ['ACCESS_TOKEN_EXPIRE_MINUTES', '0'],
    ['TIME_SYNC_INTERVAL', 'often'],
    ['NTP_SERVER', '   '],
    ['SECRET_KEY', ''],
    ['TRUST_PROXY', 'nginx'],
    ['TRUST_PROXY', '0'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '10.0.0.0/0'],
    ['TRUST_PROXY', 'fe80::1%eth0.1'],
    ['TRUST_PROXY', '::ffff:10.0.0.1/24'],
    ['TRUST_PROXY', '10.0.0.1,,10.0.0.2'],
  ])('%s=%j throws a ConfigurationError naming the variable', (variable, value) => {
    const error = configErrorFor({ [variable]: value });
    expect(error.message).toContain(variable);
    expect(error.message).toContain(JSON.stringify(value));
  });

  it('TRUST_PROXY: unset trusts nobody; a hop count, or addresses, ranges and named ranges; never everyone', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: ' ' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'none' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '::ffff:10.0.0.0/104' }).TRUST_PROXY).toEqual(['::ffff:10.0.0.0/104']);
    // Any /0 range is everyone, whatever its address, alone or in a list.
    for (const everyone of ['::/0', '0.0.0.0/0', '10.0.0.0/0', '192.0.2.10, 2001:db8::/0']) {
      expect(configErrorFor({ TRUST_PROXY: everyone }).message).toMatch(/TRUST_PROXY: trusting every sender/);
    }
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'uniquelocal, 192.0.2.10, 2001:db8::/32' }).TRUST_PROXY).toEqual([
      'uniquelocal',
      '192.0.2.10',
      '2001:db8::/32',
    ]);
    expect(configErrorFor({ TRUST_PROXY: 'true' }).message).toMatch(
      /TRUST_PROXY: trusting every sender lets any client choose its own address.*trust a hop count \(1 behind one proxy\)/,
    );
    expect(configErrorFor({ TRUST_PROXY: '10.0.0.1, edge' }).message).toContain(
      'not an address, CIDR range or loopback/linklocal/uniquelocal: "edge"',
    );
  });

  it('a short SECRET_KEY is refused in any mode, without echoing it', () => {
    const error = configErrorFor({ SECRET_KEY: 'short-but-secret' });
    expect(error.message).toContain('SECRET_KEY');
    expect(error.message).not.toContain('short-but-secret');
  });

  it('production needs SECRET_KEY (not the example) and OPERATOR_PASSWORD_HASH', () => {
    const error = configErrorFor({ NODE_ENV: 'production', SECRET_KEY: 'dev-secret-change-me' });
    expect(error.message).toMatch(/SECRET_KEY: is the published example value/);
    expect(error.message).toMatch(/OPERATOR_PASSWORD_HASH: must be set in production/);
    expect(error.message).not.toContain('dev-secret-change-me');
  });

  it('outside production the example key is accepted (a generated one replaces it at start)', () => {
    expect(loadConfig({ SECRET_KEY: 'dev-secret-change-me' }).SECRET_KEY).toBe('dev-secret-change-me');
  });

  it('CLOCK_SOURCE is simulated by default, real on request, and anything else is refused by name', () => {
    expect(loadConfig({}).CLOCK_SOURCE).toBe('simulated');
    expect(loadConfig({ CLOCK_SOURCE: 'real' }).CLOCK_SOURCE).toBe('real');
    const error = configErrorFor({ CLOCK_SOURCE: 'faketime' });
    expect(error.message).toContain('CLOCK_SOURCE: must be one of simulated, real (got "faketime")');
  });

  it('names every wrong variable at once, and only those', () => {
    const error = configErrorFor({ MAX_SEATS: 'abc', PORT: '70000', NTP_SERVER: 'time.example' });
    expect(error.message).toMatch(/MAX_SEATS/);
    expect(error.message).toMatch(/PORT/);
    expect(error.message).not.toMatch(/NTP_SERVER/);
  });

  it('caps seeded runs: RUN_MAX_ATTEMPTS 100,000 and RUN_QUEUE_MAX 4 by default, both validated', () => {
    expect(loadConfig({})).toMatchObject({ RUN_MAX_ATTEMPTS: 100_000, RUN_QUEUE_MAX: 4 });
    expect(loadConfig({ RUN_MAX_ATTEMPTS: '5000', RUN_QUEUE_MAX: '1' })).toMatchObject({
      RUN_MAX_ATTEMPTS: 5000,
      RUN_QUEUE_MAX: 1,
    });
    const error = configErrorFor({ RUN_MAX_ATTEMPTS: '300000', RUN_QUEUE_MAX: '0' });
    expect(error.message).toMatch(/RUN_MAX_ATTEMPTS: must be at most 200000/);
    expect(error.message).toMatch(/RUN_QUEUE_MAX: must be at least 1/);
  });
});

describe('the built process with a wrong variable', () => {
  const repositoryRoot = join(__dirname, '..', '..');
  const mainScript = join(repositoryRoot, 'dist', 'backend', 'main.js');

  beforeAll(() => {
    if (!existsSync(mainScript)) {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.app.json'], { cwd: join(__dirname, '..'), stdio: 'inherit' });
    }
  }, 120_000);

  it('exits non-zero before serving, with a message naming MAX_SEATS', () => {
    const result = spawnSync(process.execPath, [mainScript], {
      cwd: repositoryRoot,
      env: { PATH: process.env['PATH'] ?? '', MAX_SEATS: 'abc', PORT: '0', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.error).toBeUndefined();
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr).toMatch(/MAX_SEATS/);
    expect(result.stdout).not.toMatch(/Reservation Lab API on/);
  });
});
