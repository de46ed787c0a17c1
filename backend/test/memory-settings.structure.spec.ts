/**
 * The backend's memory settings (the V8 heap bound and glibc's allocator variables) are written
 * in four launchers that cannot share one file: scripts/backend-node-flags.mjs (the cluster and
 * benchmark scripts), the Makefile's RUN_BACKEND, the image's ENV and `npm start`. The figures in
 * docs/performance.md hold only while all four agree, so each is read as text and compared with
 * the script's values.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

interface MemorySettings {
  heapFlag: string;
  mallocEnv: Record<string, string>;
}

/** What scripts/backend-node-flags.mjs exports, with no BACKEND_HEAP_MB override in the way. */
function fromNodeFlagsScript(): MemorySettings {
  const script = join(root, 'scripts', 'backend-node-flags.mjs');
  const printed = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(`file://${script}`)});
       console.log(JSON.stringify({ flags: m.BACKEND_NODE_FLAGS, env: m.BACKEND_MALLOC_ENV }));`,
    ],
    { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } },
  );
  const { flags, env } = JSON.parse(printed) as { flags: string[]; env: Record<string, string> };
  expect(flags).toHaveLength(1);
  return { heapFlag: flags[0] ?? '', mallocEnv: env };
}

/** `A=1 B=2` words into a record; words that are not assignments are left out. */
function assignments(words: string): Record<string, string> {
  const pairs = words
    .split(/\s+/)
    .map((word) => /^(MALLOC_[A-Z_]+)=(\S+)$/.exec(word))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1] ?? '', match[2] ?? ''] as const);
  return Object.fromEntries(pairs);
}

function heapFlagIn(words: string): string | undefined {
  return /--max-old-space-size=\d+/.exec(words)?.[0];
}

function variable(makefile: string, name: string): string {
  const line = new RegExp(`^${name} \\?= (.*)$`, 'm').exec(makefile);
  if (!line?.[1]) throw new Error(`the Makefile no longer sets ${name} ?= …`);
  return line[1];
}

function fromMakefile(): MemorySettings {
  const makefile = read('Makefile');
  const runBackend = /^RUN_BACKEND := (.*)$/m.exec(makefile)?.[1] ?? '';
  // RUN_BACKEND must use the two variables, or setting them (as the README tells) changes nothing.
  expect(runBackend).toContain('env $(BACKEND_MALLOC_ENV) node');
  expect(runBackend).toContain('--max-old-space-size=$(BACKEND_HEAP_MB)');
  return {
    heapFlag: `--max-old-space-size=${variable(makefile, 'BACKEND_HEAP_MB')}`,
    mallocEnv: assignments(variable(makefile, 'BACKEND_MALLOC_ENV')),
  };
}

/** The runtime stage's ENV instructions, continuation lines joined. */
function fromDockerfile(): MemorySettings {
  const dockerfile = read('infra/backend.Dockerfile').replace(/\\\n\s*/g, ' ');
  const env = dockerfile
    .split('\n')
    .filter((line) => line.startsWith('ENV '))
    .join(' ');
  const nodeOptions = /NODE_OPTIONS=(\S+)/.exec(env)?.[1] ?? '';
  return { heapFlag: heapFlagIn(nodeOptions) ?? '', mallocEnv: assignments(env) };
}

function fromNpmStart(): MemorySettings {
  const manifest = JSON.parse(read('backend/package.json')) as { scripts: Record<string, string> };
  const start = manifest.scripts['start'] ?? '';
  return { heapFlag: heapFlagIn(start) ?? '', mallocEnv: assignments(start) };
}

describe('the backend memory settings, written in four launchers', () => {
  const expected = fromNodeFlagsScript();

  it('are read from the scripts file: a heap bound and the three allocator variables', () => {
    expect(expected.heapFlag).toMatch(/^--max-old-space-size=\d+$/);
    expect(Object.keys(expected.mallocEnv).sort()).toEqual([
      'MALLOC_ARENA_MAX',
      'MALLOC_MMAP_THRESHOLD_',
      'MALLOC_TRIM_THRESHOLD_',
    ]);
  });

  it.each([
    ['the Makefile (make dev, dev-backend, prod-local)', fromMakefile],
    ['infra/backend.Dockerfile (the image)', fromDockerfile],
    ['backend/package.json (npm start)', fromNpmStart],
  ])('are the same in %s', (_launcher, settingsOf) => {
    expect(settingsOf()).toEqual(expected);
  });
});
