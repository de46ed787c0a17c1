// One command for the browser tests: `npm run e2e -w frontend`.
// Builds the console and the backend, starts the backend (embedded store in
// memory, free port) and a static server with the /api proxy, drives Debian's
// Chromium through every e2e/*.e2e.ts scenario, and ends with jest-like counts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { E2eContext, E2eScenario } from './harness.ts';
import { startStaticServer } from './static-server.ts';

const frontendDir = join(import.meta.dirname, '..');
const repoRoot = join(frontendDir, '..');
const artifacts = join(frontendDir, 'test-artifacts');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

function buildStep(label: string, command: string, args: string[], cwd: string): void {
  if (process.env['E2E_SKIP_BUILD'] === '1') return;
  console.log(`• ${label}`);
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status})`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe: Server = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilUp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

class Backend {
  private process: ChildProcess | null = null;
  private readonly log = createWriteStream(join(artifacts, 'backend.log'), { flags: 'a' });
  constructor(readonly port: number) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.process = spawn('node', ['dist/backend/main.js'], {
      cwd: repoRoot,
      env: { ...process.env, PORT: String(this.port), PGLITE_DATA_DIR: ':memory:', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stdout?.pipe(this.log, { end: false });
    this.process.stderr?.pipe(this.log, { end: false });
    await waitUntilUp(`${this.url}/health`);
  }
  async stop(): Promise<void> {
    const running = this.process;
    this.process = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
      setTimeout(() => running.kill('SIGKILL'), 5000).unref();
    });
  }
}

async function loadScenarios(): Promise<{ file: string; scenario: E2eScenario }[]> {
  const files = readdirSync(import.meta.dirname)
    .filter((file) => file.endsWith('.e2e.ts'))
    .sort();
  const loaded: { file: string; scenario: E2eScenario }[] = [];
  for (const file of files) {
    const module = (await import(join(import.meta.dirname, file))) as { scenarios: E2eScenario[] };
    for (const scenario of module.scenarios) loaded.push({ file, scenario });
  }
  return loaded;
}

async function main(): Promise<number> {
  const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    // Only Debian's Chromium is allowed here (no browser downloads): without it, skip and say why.
    const scenarios = await loadScenarios();
    console.warn(`• skipped: no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);
    return report({ passed: 0, failed: 0, skipped: scenarios.length });
  }
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  buildStep('building the console (ng build)', 'npx', ['ng', 'build'], frontendDir);
  buildStep('building the backend (tsc)', 'npx', ['tsc', '-p', 'backend/tsconfig.app.json'], repoRoot);

  const backend = new Backend(await freePort());
  await backend.start();
  const consolePort = await freePort();
  const staticServer = await startStaticServer(join(repoRoot, 'dist/frontend'), backend.url, consolePort);
  const consoleUrl = `http://127.0.0.1:${consolePort}`;
  const spec = (await (await fetch(`${backend.url}/docs-json`)).json()) as { paths: Record<string, unknown> };
  const paths = new Set(Object.keys(spec.paths));

  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath,
    args: CHROMIUM_FLAGS,
    // playwright-core gives each launch a fresh temporary --user-data-dir.
  });
  console.log(`• backend ${backend.url}, console ${consoleUrl}, ${browser.version()}\n`);

  const counts = { passed: 0, failed: 0, skipped: 0 };
  const started = Date.now();
  try {
    for (const { file, scenario } of await loadScenarios()) {
      const missing = scenario.requires.filter((path) => !paths.has(path));
      if (missing.length > 0) {
        counts.skipped += 1;
        console.log(`  ○ ${scenario.name} (${file})\n      skipped: backend has no ${missing.join(', ')} yet (404)`);
        continue;
      }
      const browserContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await browserContext.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      const context: E2eContext = {
        browser,
        page,
        consoleUrl,
        backendUrl: backend.url,
        screenshot: async (name) => {
          await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
        },
        stopBackend: () => backend.stop(),
        startBackend: () => backend.start(),
      };
      const scenarioStart = Date.now();
      try {
        await scenario.run(context);
        if (pageErrors.length > 0) throw new Error(`uncaught errors in the page: ${pageErrors.join(' | ')}`);
        counts.passed += 1;
        console.log(`  ✓ ${scenario.name} (${Date.now() - scenarioStart} ms)`);
      } catch (error) {
        counts.failed += 1;
        console.log(`  ✗ ${scenario.name} (${file})\n      ${error instanceof Error ? error.message : String(error)}`);
        await page
          .screenshot({ path: join(artifacts, `FAILED-${scenario.name.replace(/\W+/g, '-')}.png`), fullPage: true })
          .catch(() => undefined);
      } finally {
        await browserContext.close();
      }
    }
  } finally {
    await browser.close();
    staticServer.close();
    await backend.stop();
  }
  return report(counts, `\nTime:        ${((Date.now() - started) / 1000).toFixed(1)} s\nScreenshots: ${artifacts}`);
}

type Counts = { passed: number; failed: number; skipped: number };

/** Prints jest-like counts and hands them to the repository's test runner, which sums every suite. */
function report(counts: Counts, footer = ''): number {
  const total = counts.passed + counts.failed + counts.skipped;
  console.log(
    `\nTests:       ${counts.failed} failed, ${counts.skipped} skipped, ${counts.passed} passed, ${total} total${footer}`,
  );
  const resultFile = process.env['E2E_RESULT_FILE'];
  if (resultFile) writeFileSync(resultFile, JSON.stringify(counts));
  return counts.failed > 0 || counts.passed + counts.skipped === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
