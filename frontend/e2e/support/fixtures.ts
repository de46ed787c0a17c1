// What every browser test gets: the real backend (one per worker, fresh store),
// its OpenAPI paths, an operator helper, a JSON client for direct API calls,
// and a screenshot helper. Without Debian's Chromium every test skips and says why.
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, LabBackend, REPO_ROOT, freePort } from './lab-backend';
import { Operator } from './operator';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Screenshots land in test-artifacts/screenshots, or where E2E_SCREENSHOTS_DIR says (npm run screenshots → docs/). */
const SCREENSHOTS_DIR = process.env['E2E_SCREENSHOTS_DIR']
  ? join(REPO_ROOT, process.env['E2E_SCREENSHOTS_DIR'])
  : join(ARTIFACTS, 'screenshots');

export interface LabApiClient {
  get<T>(path: string): Promise<T>;
  /** POST with a JSON body; operator routes carry the operator's token when the backend asks for one. */
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
}

export interface Lab {
  backend: LabBackend;
  url: string;
  paths: ReadonlySet<string>;
  operator: Operator;
  api: LabApiClient;
}

function apiClient(baseUrl: string, operator: Operator): LabApiClient {
  const send = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...(method === 'GET' ? {} : await operator.headers()) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    get: (path) => send('GET', path),
    post: (path, body = {}) => send('POST', path, body),
    put: (path, body) => send('PUT', path, body),
  };
}

interface TestFixtures {
  requireChromium: void;
  /** Saves a screenshot as <name>.png: the whole page, or one element of it. */
  saveScreenshot: (name: string, target?: Page | Locator) => Promise<void>;
}

export const test = base.extend<TestFixtures, { lab: Lab }>({
  requireChromium: [
    async ({}, use, testInfo) => {
      // Only Debian's Chromium may run here (no browser downloads): without it, skip and say why.
      testInfo.skip(
        !existsSync(CHROMIUM_PATH),
        `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`,
      );
      await use();
    },
    { auto: true },
  ],
  lab: [
    async ({}, use) => {
      const backend = new LabBackend(await freePort());
      await backend.start();
      const paths = await backend.paths();
      const operator = new Operator(backend.url, paths);
      await use({ backend, url: backend.url, paths, operator, api: apiClient(backend.url, operator) });
      await backend.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  baseURL: async ({ lab }, use) => use(lab.url),
  saveScreenshot: async ({ page }, use) => {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    await use(async (name, target = page) => {
      const path = join(SCREENSHOTS_DIR, `${name}.png`);
      if ('goto' in target) await target.screenshot({ path, fullPage: true, animations: 'disabled' });
      else await target.screenshot({ path, animations: 'disabled' });
    });
  },
});

/** Skips the test, saying why, when the backend does not list a path it needs (a feature not built yet). */
export function requirePaths(lab: Lab, ...paths: string[]): void {
  const missing = paths.filter((path) => !lab.paths.has(path));
  test.skip(missing.length > 0, `backend has no ${missing.join(', ')} yet`);
}

export { expect };
