// What every e2e scenario gets: a fresh page on the console, the backend's
// paths (to skip scenarios whose endpoints do not exist yet) and a screenshot helper.
import type { Browser, Page } from 'playwright-core';

export interface E2eContext {
  browser: Browser;
  page: Page;
  consoleUrl: string;
  backendUrl: string;
  screenshot(name: string): Promise<void>;
  /** Stops the backend; startBackend brings it back on the same port (fresh in-memory store). */
  stopBackend(): Promise<void>;
  startBackend(): Promise<void>;
}

export interface E2eScenario {
  name: string;
  /** OpenAPI paths the scenario needs; missing ones make it skip with a printed reason. */
  requires: string[];
  run(context: E2eContext): Promise<void>;
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Polls `probe` until it returns a truthy value; the console updates asynchronously. */
export async function eventually<T>(
  probe: () => Promise<T>,
  what: string,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}
