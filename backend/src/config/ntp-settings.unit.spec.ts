import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadConfig } from './environment';

const configError = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
};

describe('NTP settings', () => {
  let directory: string;
  let keyFile: string;
  const secret = 'f00d'.repeat(10);
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'ntp-settings-'));
    keyFile = join(directory, 'chrony.keys');
    writeFileSync(keyFile, `1 SHA1 HEX:${secret}\n`);
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('defaults: one source, ntpd panic threshold, 1 s max change, 500 ppm slew, no key', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NTP_SERVER: 'pool.ntp.org',
      NTP_PANIC_THRESHOLD_S: 1000,
      NTP_MAX_CHANGE_MS: 1000,
      NTP_MAX_SLEW_PPM: 500,
    });
    expect(config.NTP_KEY_ID).toBeUndefined();
    expect(config.NTP_KEY_FILE).toBeUndefined();
  });

  it('NTP_SERVER may list several sources in every address form', () => {
    const value = 'a.example, 127.0.0.1:11123,[::1]:123';
    expect(loadConfig({ NTP_SERVER: value }).NTP_SERVER).toBe(value);
  });

  it.each([
    ['NTP_SERVER', 'a.example,a.example:123'],
    ['NTP_SERVER', 'a.example,,b.example'],
    ['NTP_SERVER', 'a.example:99999'],
    ['NTP_PANIC_THRESHOLD_S', '0'],
    ['NTP_MAX_CHANGE_MS', 'lots'],
    ['NTP_MAX_SLEW_PPM', '1000000'],
    ['NTP_KEY_ID', '0'],
  ])('%s=%j stops the start naming the variable', (variable, value) => {
    expect(configError({ [variable]: value })).toContain(`${variable}:`);
  });

  it('a key id with its key file is accepted; empty values mean unset', () => {
    expect(loadConfig({ NTP_KEY_ID: '1', NTP_KEY_FILE: keyFile })).toMatchObject({
      NTP_KEY_ID: 1,
      NTP_KEY_FILE: keyFile,
    });
    expect(loadConfig({ NTP_KEY_ID: '', NTP_KEY_FILE: '' }).NTP_KEY_ID).toBeUndefined();
  });

  it.each<[string, () => Record<string, string>, string, RegExp]>([
    ['a key id without a file', () => ({ NTP_KEY_ID: '1' }), 'NTP_KEY_FILE', /must be set when NTP_KEY_ID is/],
    ['a file without a key id', () => ({ NTP_KEY_FILE: keyFile }), 'NTP_KEY_ID', /must be set when NTP_KEY_FILE is/],
    ['an id the file lacks', () => ({ NTP_KEY_ID: '2', NTP_KEY_FILE: keyFile }), 'NTP_KEY_ID', /has no key with id 2/],
    [
      'a missing file',
      () => ({ NTP_KEY_ID: '1', NTP_KEY_FILE: join(directory, 'nope') }),
      'NTP_KEY_FILE',
      /cannot read .*ENOENT/,
    ],
    [
      'a malformed file',
      () => {
        const bad = join(directory, 'bad.keys');
        writeFileSync(bad, '1 GOST HEX:abcd\n');
        return { NTP_KEY_ID: '1', NTP_KEY_FILE: bad };
      },
      'NTP_KEY_FILE',
      /line 1: unsupported key type "GOST"/,
    ],
  ])('%s stops the start naming %s (never the secret)', (_label, env, variable, message) => {
    const text = configError(env());
    expect(text).toContain(`${variable}:`);
    expect(text).toMatch(message);
    expect(text).not.toContain(secret);
  });
});
