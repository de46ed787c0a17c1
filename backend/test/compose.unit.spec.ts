import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { environmentSchema } from '../src/config/environment';

const root = join(__dirname, '..', '..');
const composeFile = join(root, 'docker-compose.yml');

/** What an operator would set for `docker compose up` (a hash in the format hash-password writes). */
const REQUIRED_SECRETS: Record<string, string> = {
  SECRET_KEY: 'compose-test-secret-key-0123456789abcdef',
  OPERATOR_PASSWORD_HASH: `scrypt$32768$8$1$${Buffer.alloc(16, 1).toString('base64url')}$${Buffer.alloc(32, 2).toString('base64url')}`,
};

interface ComposeFile {
  services: Record<string, { environment?: Record<string, string>; build?: { dockerfile: string }; image?: string }>;
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(composeFile, 'utf8')) as ComposeFile;

  it('declares EventStoreDB, PostgreSQL, the backend and the web console', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['eventstore', 'postgres', 'backend', 'frontend']),
    );
    expect(compose.services['eventstore']!.image).toMatch(/^eventstore\/eventstore:/);
    expect(compose.services['postgres']!.image).toMatch(/^postgres:15/);
  });

  it('gives the backend only variables its configuration knows, and a valid value for each', () => {
    const environment = compose.services['backend']!.environment!;
    const known = Object.keys(environmentSchema.shape);
    for (const name of Object.keys(environment)) expect(known).toContain(name);
    // ${VAR:-default} resolves to the default when the variable is unset; ${VAR:?message} to what the operator sets.
    const resolved = Object.fromEntries(
      Object.entries(environment).map(([name, value]) => [
        name,
        value
          .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
          .replace(/\$\{([A-Z_]+):\?[^}]*\}/g, (_all, variable: string) => REQUIRED_SECRETS[variable] ?? ''),
      ]),
    );
    expect(environmentSchema.safeParse({ ...resolved, NODE_ENV: 'production' }).success).toBe(true);
  });

  it('makes the production secrets required: no default key, no default password', () => {
    const environment = compose.services['backend']!.environment!;
    expect(environment['SECRET_KEY']).toMatch(/^\$\{SECRET_KEY:\?/);
    expect(environment['OPERATOR_PASSWORD_HASH']).toMatch(/^\$\{OPERATOR_PASSWORD_HASH:\?/);
  });

  it('checks the backend with node, the one program its slim Node image is sure to have', () => {
    const backend = compose.services['backend'] as { healthcheck?: { test: string[] } };
    const [form, program] = backend.healthcheck!.test;
    expect([form, program]).toEqual(['CMD', 'node']);
    expect(backend.healthcheck!.test.join(' ')).toContain('/health/ready');
  });

  it('ships only production dependencies in the backend runtime image', () => {
    const dockerfile = readFileSync(join(root, 'infra', 'backend.Dockerfile'), 'utf8');
    const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtimeStage).not.toMatch(/--from=build \/app\/node_modules/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });

  it.each(['backend', 'frontend'])('points the %s build at a Dockerfile that exists', (service) => {
    const dockerfile = compose.services[service]!.build!.dockerfile;
    expect(readFileSync(join(root, dockerfile), 'utf8')).toMatch(/^FROM node:20/m);
  });

  const dockerCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  const haveCompose = dockerCompose.status === 0;
  if (!haveCompose)
    console.warn('docker-compose is not installed: skipping `docker-compose config -q` (.ci/run installs it).');
  (haveCompose ? it : it.skip)('passes `docker-compose config -q`', () => {
    const withSecrets = { ...process.env, ...REQUIRED_SECRETS };
    expect(() =>
      execFileSync('docker-compose', ['-f', composeFile, 'config', '-q'], { stdio: 'pipe', env: withSecrets }),
    ).not.toThrow();
    const withoutSecrets = { ...process.env, SECRET_KEY: '', OPERATOR_PASSWORD_HASH: '' };
    const refused = spawnSync('docker-compose', ['-f', composeFile, 'config', '-q'], {
      encoding: 'utf8',
      env: withoutSecrets,
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/SECRET_KEY|OPERATOR_PASSWORD_HASH/);
  });
  // docker-compose.prod.yml: prod-compose.structure.spec.ts
});
