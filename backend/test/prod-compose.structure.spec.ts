/**
 * docker-compose.prod.yml cannot be started here (no Docker engine), so its shape is checked:
 * the EventStoreDB cluster, the read model and its backups, the backend replicas in cluster
 * mode, the TLS edge, healthchecks that can run in their images, and no default secret.
 * `docker-compose config` (when installed) proves the file resolves and refuses missing secrets.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const prodFile = join(root, 'docker-compose.prod.yml');

interface Healthcheck {
  test: string[];
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  restart?: string;
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: Healthcheck;
  depends_on?: Record<string, { condition: string }>;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

/** The secrets an operator must set; dummy values of the right shape for `docker-compose config`. */
const REQUIRED_SECRETS: Record<string, string> = {
  SECRET_KEY: 'compose-test-secret-key-0123456789abcdef',
  OPERATOR_PASSWORD_HASH: `scrypt$32768$8$1$${Buffer.alloc(16, 1).toString('base64url')}$${Buffer.alloc(32, 2).toString('base64url')}`,
  POSTGRES_PASSWORD: 'a-database-password',
  EVENTSTORE_ADMIN_PASSWORD: 'an-eventstore-admin-password',
  EVENTSTORE_OPS_PASSWORD: 'an-eventstore-ops-password',
};

/** Programs known to be in each image a healthcheck runs in (checked against the image sources). */
const PROGRAMS_IN_PULLED_IMAGES: Array<[RegExp, string[]]> = [
  // The EventStoreDB/KurrentDB runtime image installs curl for its own HEALTHCHECK.
  [/^eventstore\/eventstore:/, ['curl']],
  // Its maintainers' compose files run it with `entrypoint: bash`.
  [/^eventstore\/es-gencert-cli:/, ['bash']],
  // Debian-based official image: the PostgreSQL client tools and a full userland.
  [/^postgres:15/, ['pg_isready', 'bash']],
];

const compose = parse(readFileSync(prodFile, 'utf8'), { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);
const servicesNamed = (pattern: RegExp): Array<[string, Service]> => services.filter(([name]) => pattern.test(name));
const repoFile = (path: string): string => readFileSync(join(root, path), 'utf8');

/** The text of one stage of a Dockerfile (`FROM … AS name` up to the next FROM), or the last one. */
const dockerfileStage = (text: string, target?: string): string => {
  const stages = text.split(/^(?=FROM )/m).filter((stage) => stage.startsWith('FROM '));
  if (target === undefined) return stages[stages.length - 1]!;
  const stage = stages.find((candidate) => new RegExp(`^FROM \\S+ AS ${target}\\b`, 'i').test(candidate));
  if (stage === undefined) throw new Error(`no stage ${target}`);
  return stage;
};

/** What a built service's healthcheck may call: what its stage's base image and installs provide. */
const programsInBuiltImage = (build: NonNullable<Service['build']>): string[] => {
  const text = repoFile(build.dockerfile);
  const stage = dockerfileStage(text, build.target);
  const programs: string[] = [];
  if (/^FROM node:20-bookworm-slim/.test(stage)) programs.push('node');
  const installed = /apk add [^\n]*/.exec(stage)?.[0] ?? '';
  for (const program of ['curl', 'wget']) if (new RegExp(`\\b${program}\\b`).test(installed)) programs.push(program);
  return programs;
};

const environmentOf = (service: Service): Record<string, string> => service.environment ?? {};

describe('docker-compose.prod.yml', () => {
  describe('the EventStoreDB cluster', () => {
    const nodes = servicesNamed(/^eventstore-\d+$/);

    it('has three nodes of one EventStoreDB release, each with its own data volume', () => {
      expect(nodes.map(([name]) => name)).toEqual(['eventstore-1', 'eventstore-2', 'eventstore-3']);
      expect(new Set(nodes.map(([, node]) => node.image))).toEqual(new Set(['eventstore/eventstore:24.10']));
      const dataVolumes = nodes.map(([, node]) =>
        node.volumes!.find((volume) => volume.endsWith(':/var/lib/eventstore')),
      );
      expect(new Set(dataVolumes).size).toBe(3);
      for (const volume of dataVolumes) expect(Object.keys(compose.volumes)).toContain(volume!.split(':')[0]);
    });

    it('agrees on the cluster size, and each node seeds gossip with the two others', () => {
      for (const [name, node] of nodes) {
        const environment = environmentOf(node);
        expect(environment['EVENTSTORE_CLUSTER_SIZE']).toBe('3');
        expect(environment['EVENTSTORE_DISCOVER_VIA_DNS']).toBe('false');
        const seeds = environment['EVENTSTORE_GOSSIP_SEED']!.split(',').sort();
        const others = nodes.map(([other]) => other).filter((other) => other !== name);
        expect(seeds).toEqual(others.map((other) => `${other}:2113`));
        expect(environment['EVENTSTORE_ADVERTISE_HOST_TO_CLIENT_AS']).toBe(name);
        expect(environment['EVENTSTORE_NODE_HOST_ADVERTISE_AS']).toBe(name);
      }
    });

    it('runs secure: TLS with per-node certificates from the one-shot job, never insecure mode', () => {
      for (const [name, node] of nodes) {
        const environment = environmentOf(node);
        expect(environment['EVENTSTORE_INSECURE']).toBeUndefined();
        const index = name.split('-')[1];
        expect(environment['EVENTSTORE_CERTIFICATE_FILE']).toBe(`/etc/eventstore/certs/node${index}/node.crt`);
        expect(environment['EVENTSTORE_CERTIFICATE_PRIVATE_KEY_FILE']).toBe(
          `/etc/eventstore/certs/node${index}/node.key`,
        );
        expect(environment['EVENTSTORE_TRUSTED_ROOT_CERTIFICATES_PATH']).toBe('/etc/eventstore/certs/ca');
        expect(node.volumes).toContain('eventstore-certs:/etc/eventstore/certs:ro');
        expect(node.depends_on!['eventstore-certs']!.condition).toBe('service_completed_successfully');
      }
      const job = compose.services['eventstore-certs']!;
      expect(job.restart).toBe('no');
      expect(job.volumes).toEqual(expect.arrayContaining(['eventstore-ca:/ca', 'eventstore-certs:/certs']));
      const script = repoFile('infra/eventstore/generate-certs.sh');
      for (const [name] of nodes) expect(script).toContain(name);
      expect(script).toMatch(/-dns-names "\$node,localhost"/);
    });
  });

  describe('PostgreSQL and its backups', () => {
    it('keeps the read model in a named volume', () => {
      const postgres = compose.services['postgres']!;
      expect(postgres.image).toMatch(/^postgres:15/);
      expect(postgres.volumes).toContain('postgres-data:/var/lib/postgresql/data');
      expect(Object.keys(compose.volumes)).toContain('postgres-data');
    });

    it('dumps it on a schedule into its own volume, with a retention', () => {
      const backup = compose.services['postgres-backup']!;
      const environment = environmentOf(backup);
      expect(backup.volumes).toContain('postgres-backups:/backups');
      expect(Object.keys(compose.volumes)).toContain('postgres-backups');
      expect(environment['BACKUP_INTERVAL_S']).toMatch(/^\$\{BACKUP_INTERVAL_S:-\d+\}$/);
      expect(environment['BACKUP_KEEP_DAYS']).toMatch(/^\$\{BACKUP_KEEP_DAYS:-\d+\}$/);
      expect(environment['PGHOST']).toBe('postgres');
      const mountedScript = backup.volumes!.find((volume) => volume.includes('backup.sh'))!;
      const script = repoFile(mountedScript.split(':')[0]!.replace(/^\.\//, ''));
      expect(script).toMatch(/pg_dump --format=custom/);
      expect(script).toMatch(/sleep "\$BACKUP_INTERVAL_S"/);
      expect(script).toMatch(/-mtime "\+\$BACKUP_KEEP_DAYS" -print -delete/);
      expect(script).toMatch(/pg_restore --clean/);
    });
  });

  describe('the backend replicas', () => {
    const backends = servicesNamed(/^backend-\d+$/);

    it('runs at least two, in cluster mode, each under its own node name', () => {
      expect(backends.length).toBeGreaterThanOrEqual(2);
      const names = backends.map(([, backend]) => environmentOf(backend)['CLUSTER_NODE_NAME']);
      expect(new Set(names).size).toBe(backends.length);
      for (const [, backend] of backends) expect(environmentOf(backend)['CLUSTER_MODE']).toBe('on');
    });

    it('shares one log (every cluster node a seed, over TLS) and one read model', () => {
      const logs = new Set(backends.map(([, backend]) => environmentOf(backend)['EVENTSTORE_CONNECTION_STRING']));
      const readModels = new Set(backends.map(([, backend]) => environmentOf(backend)['DATABASE_URL']));
      expect([logs.size, readModels.size]).toEqual([1, 1]);
      const [log] = [...logs];
      expect(log).toMatch(/^esdb:\/\/[^@]+@eventstore-1:2113,eventstore-2:2113,eventstore-3:2113\?/);
      expect(log).toContain('tls=true');
      expect(log).toContain('tlsCAFile=/certs/eventstore/ca/ca.crt');
      for (const [, backend] of backends) expect(backend.volumes).toContain('eventstore-trust:/certs/eventstore:ro');
      expect([...readModels][0]).toMatch(/^postgres:\/\/lab:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/lab$/);
    });

    it("trusts one hop (nginx's X-Forwarded-For), and publishes no port a client could reach it by", () => {
      for (const [, backend] of backends) {
        expect(environmentOf(backend)['TRUST_PROXY']).toBe('${TRUST_PROXY-1}');
        expect(backend.ports ?? []).toEqual([]);
      }
    });

    it('runs the production-dependencies image', () => {
      for (const [, backend] of backends) expect(backend.build!.dockerfile).toBe('infra/backend.Dockerfile');
      const text = repoFile('infra/backend.Dockerfile');
      const runtime = dockerfileStage(text);
      expect(runtime).toMatch(/^FROM node:20-bookworm-slim/);
      expect(runtime).toMatch(/COPY --from=runtime-deps \/app\/node_modules/);
      expect(runtime).not.toMatch(/--from=build \/app\/node_modules/);
      expect(dockerfileStage(text, 'runtime-deps')).toMatch(/npm ci --omit=dev/);
    });
  });

  describe('the nginx edge', () => {
    const nginx = compose.services['nginx']!;
    const config = repoFile('infra/nginx/edge.conf');

    it('is the only published service: 443, and 80 that redirects to https', () => {
      const published = services.filter(([, service]) => (service.ports ?? []).length > 0).map(([name]) => name);
      expect(published).toEqual(['nginx']);
      expect(nginx.ports).toEqual(['80:80', '443:443']);
      expect(config).toMatch(/listen 443 ssl/);
      expect(config).toMatch(/listen 80 default_server;[\s\S]*?return 301 https:\/\/\$host\$request_uri;/);
    });

    it('builds the edge stage, which makes a self-signed certificate unless one is mounted', () => {
      expect(nginx.build).toMatchObject({ dockerfile: 'infra/frontend.Dockerfile', target: 'edge' });
      const edge = dockerfileStage(repoFile('infra/frontend.Dockerfile'), 'edge');
      expect(edge).toMatch(/apk add --no-cache openssl/);
      expect(edge).toContain('COPY infra/nginx/10-tls-certificate.sh /docker-entrypoint.d/');
      expect(nginx.volumes).toContain('${NGINX_TLS_SOURCE:-nginx-tls}:/etc/nginx/tls');
    });

    it("overwrites X-Forwarded-For with the client's address: nothing a client sends reaches the nodes' one trusted hop", () => {
      expect(config).toMatch(/^\s*proxy_set_header X-Forwarded-For \$remote_addr;$/m);
      expect(config).not.toContain('$proxy_add_x_forwarded_for');
    });

    it('proxies the API, health, docs and SSE to every replica, SSE unbuffered', () => {
      for (const backend of servicesNamed(/^backend-\d+$/)) expect(config).toContain(`server ${backend[0]}:8000`);
      const sse = /location = \/api\/events\/stream \{([^}]*)\}/.exec(config)![1]!;
      expect(sse).toMatch(/proxy_buffering off;/);
      expect(sse).toMatch(/proxy_pass http:\/\/lab_backend;/);
      for (const prefix of ['/api/', '/health', '/docs'])
        expect(config).toContain(`location ^~ ${prefix} {\n    proxy_pass http://lab_backend;`);
      expect(config).toMatch(/proxy_set_header X-Forwarded-For/);
    });

    it('compresses the console and caches hashed assets for ever, index.html never', () => {
      expect(config).toMatch(/^gzip on;/m);
      expect(config).toMatch(/gzip_types[^;]*application\/javascript[^;]*;/);
      expect(config).not.toMatch(/gzip_types[^;]*text\/event-stream/);
      expect(config).toMatch(
        /location ~ "-\[A-Z0-9\]\{8\}[^"]*" \{\s*add_header Cache-Control "public, max-age=31536000, immutable";/,
      );
      expect(config).toMatch(/location = \/index.html \{\s*add_header Cache-Control "no-cache";/);
    });
  });

  it.each(services.map(([name]) => name))('gives %s a healthcheck whose program is in its image', (name) => {
    const service = compose.services[name]!;
    const [form, program] = service.healthcheck!.test;
    expect(form).toBe('CMD');
    const available = service.build
      ? programsInBuiltImage(service.build)
      : (PROGRAMS_IN_PULLED_IMAGES.find(([image]) => image.test(service.image!))?.[1] ?? []);
    expect(available).toContain(program);
  });

  it('restarts every long-running service, and waits for what it needs to be healthy', () => {
    for (const [name, service] of services) {
      if (name === 'eventstore-certs') continue;
      expect(service.restart).toBe('unless-stopped');
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {}))
        expect([name, dependency, condition]).toEqual([
          name,
          dependency,
          dependency === 'eventstore-certs' ? 'service_completed_successfully' : 'service_healthy',
        ]);
    }
  });

  it('has no default for any secret: each is required with a message', () => {
    const raw = readFileSync(prodFile, 'utf8');
    const looksSecret = /PASSWORD|SECRET|_KEY|HASH|TOKEN/;
    const defaulted = [...raw.matchAll(/\$\{([A-Z0-9_]+):?-[^}]*\}/g)].map((match) => match[1]!);
    expect(defaulted.filter((variable) => looksSecret.test(variable))).toEqual([]);
    const required = new Set([...raw.matchAll(/\$\{([A-Z0-9_]+):\?[^}]+\}/g)].map((match) => match[1]!));
    expect([...required].sort()).toEqual(Object.keys(REQUIRED_SECRETS).sort());
    for (const [, service] of services)
      for (const [variable, value] of Object.entries(environmentOf(service)))
        if (looksSecret.test(variable) && !variable.endsWith('_FILE')) expect(value).toMatch(/^\$\{[A-Z0-9_]+:\?/);
  });

  describe('with docker-compose', () => {
    const version = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
    const haveCompose = version.status === 0;
    if (!haveCompose)
      console.warn('docker-compose is not installed: skipping `docker-compose config` of docker-compose.prod.yml.');
    const config = (environment: NodeJS.ProcessEnv) =>
      spawnSync('docker-compose', ['-f', prodFile, 'config'], { encoding: 'utf8', env: environment });

    (haveCompose ? it : it.skip)('resolves with its secrets set, into the same services', () => {
      const resolved = config({ ...process.env, ...REQUIRED_SECRETS });
      expect(resolved.stderr).toBe('');
      expect(resolved.status).toBe(0);
      const output = parse(resolved.stdout) as ComposeFile;
      expect(Object.keys(output.services).sort()).toEqual(Object.keys(compose.services).sort());
      const backend = output.services['backend-2']!.environment!;
      expect(backend['EVENTSTORE_CONNECTION_STRING']).toContain(
        `admin:${REQUIRED_SECRETS['EVENTSTORE_ADMIN_PASSWORD']}@`,
      );
      expect(backend['CLUSTER_NODE_NAME']).toBe('backend-2');
      expect(backend['TRUST_PROXY']).toBe('1');
      expect(output.services['nginx']!.volumes).toEqual([expect.stringMatching(/^nginx-tls:\/etc\/nginx\/tls/)]);
    });

    (haveCompose ? it : it.skip).each(Object.keys(REQUIRED_SECRETS))('refuses to resolve without %s', (secret) => {
      const refused = config({ ...process.env, ...REQUIRED_SECRETS, [secret]: '' });
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain(secret);
    });

    (haveCompose ? it : it.skip)('bind-mounts real certificates when NGINX_TLS_SOURCE names a directory', () => {
      const output = execFileSync('docker-compose', ['-f', prodFile, 'config'], {
        encoding: 'utf8',
        env: { ...process.env, ...REQUIRED_SECRETS, NGINX_TLS_SOURCE: '/srv/lab/tls' },
      });
      const nginx = (parse(output) as ComposeFile).services['nginx']!;
      expect(nginx.volumes).toEqual(['/srv/lab/tls:/etc/nginx/tls:rw']);
    });
  });
});
