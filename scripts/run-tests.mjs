#!/usr/bin/env node
// Runs every jest project and ends with one plain line summing them all:
// "N passed, N failed, N skipped". Exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// The suites that start several backend processes at once (a cluster, real-clock nodes) run on their
// own, after the others: beside them a loaded machine turned timing-sensitive suites flaky.
const MULTI_PROCESS_SUITES = ['test/cluster/', 'test/real-clock'];
const projects = [
  {
    name: 'backend',
    dir: 'backend',
    workers: 2,
    args: ['--coverage', `--testPathIgnorePatterns=/node_modules/|${MULTI_PROCESS_SUITES.join('|')}`],
  },
  { name: 'backend multi-process', dir: 'backend', workers: 1, args: MULTI_PROCESS_SUITES },
  { name: 'simulation', dir: 'simulation', workers: 2, args: [] },
  { name: 'frontend', dir: 'frontend', workers: 2, args: [] },
].filter((project) => existsSync(join(root, project.dir, 'jest.config.js')));

const only = process.argv.slice(2);
const outDir = mkdtempSync(join(tmpdir(), 'lab-tests-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let anyRunFailed = false;

for (const project of projects) {
  if (only.length > 0 && !only.includes(project.dir)) continue;
  const outputFile = join(outDir, `${project.name.replace(/ /g, '-')}.json`);
  console.log(`\n=== ${project.name} ===`);
  const run = spawnSync(
    'npx',
    ['jest', '--ci', `--maxWorkers=${project.workers}`, '--json', `--outputFile=${outputFile}`, ...project.args],
    { cwd: join(root, project.dir), stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  if (!existsSync(outputFile)) {
    console.error(`${project.name}: jest produced no result (exit ${run.status})`);
    anyRunFailed = true;
    totals.failed += 1;
    continue;
  }
  const result = JSON.parse(readFileSync(outputFile, 'utf8'));
  totals.passed += result.numPassedTests;
  totals.failed += result.numFailedTests;
  totals.skipped += result.numPendingTests + result.numTodoTests;
  // A suite that fails to load, or a coverage threshold missed, fails the run without failing a test.
  if (run.status !== 0) {
    anyRunFailed = true;
    if (result.numFailedTests === 0) {
      console.error(`${project.name}: jest exited with ${run.status} (failed suite or coverage threshold)`);
      totals.failed += Math.max(1, result.numFailedTestSuites);
    }
  }
}

// End-to-end in Debian's Chromium against the real backend (frontend/e2e, @playwright/test).
if (existsSync(join(root, 'frontend', 'playwright.config.ts')) && (only.length === 0 || only.includes('e2e'))) {
  const resultFile = join(outDir, 'e2e.json');
  console.log('\n=== frontend e2e (Chromium) ===');
  const run = spawnSync('npm', ['run', 'e2e', '-w', 'frontend'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', E2E_RESULT_FILE: resultFile },
  });
  if (existsSync(resultFile)) {
    // Playwright's JSON report: expected = passed, unexpected = failed, flaky = passed on a retry.
    const { stats, errors = [] } = JSON.parse(readFileSync(resultFile, 'utf8'));
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected + errors.length;
    totals.skipped += stats.skipped;
  } else {
    console.error(`frontend e2e produced no result (exit ${run.status})`);
    totals.failed += 1;
  }
  if (run.status !== 0) anyRunFailed = true;
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(anyRunFailed || totals.failed > 0 ? 1 : 0);
