// Before the browser suite: build the console and the backend the tests run
// (E2E_SKIP_BUILD=1 reuses the last build), and say at once when there is no Chromium.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_PATH } from './support/fixtures';
import { ARTIFACTS, REPO_ROOT } from './support/lab-backend';

function buildStep(label: string, command: string, args: string[], cwd: string): void {
  console.log(`• ${label}`);
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status})`);
}

export default function globalSetup(): void {
  // One operator password for the run: every backend the suite starts gets it as OPERATOR_PASSWORD, and
  // support/operator.ts signs in with it. Playwright hands global-setup's environment to the workers.
  process.env['E2E_OPERATOR_PASSWORD'] ??= randomBytes(18).toString('base64url');
  if (!existsSync(CHROMIUM_PATH)) {
    console.warn(`• skipping the browser suite: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
    return;
  }
  rmSync(join(ARTIFACTS, 'backend.log'), { force: true });
  if (process.env['E2E_SKIP_BUILD'] === '1') return;
  buildStep('building the console (ng build)', 'npx', ['ng', 'build'], join(REPO_ROOT, 'frontend'));
  buildStep('building the backend (tsc)', 'npx', ['tsc', '-p', 'backend/tsconfig.app.json'], REPO_ROOT);
}
