// Signing in as the operator, for browser tests that change the experiment.
// Until the backend offers POST /api/auth/token, operator routes are open and
// these helpers do nothing; once it does, they fetch a real token with the
// operator password and hand it to the page exactly where the console keeps
// its own (sessionStorage), and to the test's direct API calls.
import type { Page } from '@playwright/test';

/** Where the console keeps the operator's token (core/auth/operator-session.ts reads the same key). */
export const OPERATOR_TOKEN_KEY = 'ntp-lab.operator';
const TOKEN_PATH = '/api/auth/token';

export class Operator {
  private cached: { token: string; expiresAtMs: number } | null = null;

  constructor(
    private readonly backendUrl: string,
    private readonly backendPaths: ReadonlySet<string>,
    // global-setup chooses it and LabBackend starts every backend with it as OPERATOR_PASSWORD.
    private readonly password = process.env['E2E_OPERATOR_PASSWORD'],
  ) {}

  /** True when this backend signs operators in (issue 14); false while every route is still open. */
  get required(): boolean {
    return this.backendPaths.has(TOKEN_PATH);
  }

  async token(): Promise<string | null> {
    if (!this.required) return null;
    if (this.cached && this.cached.expiresAtMs > Date.now() + 5000) return this.cached.token;
    if (!this.password) {
      throw new Error(`the backend has ${TOKEN_PATH} but E2E_OPERATOR_PASSWORD is not set for the browser suite`);
    }
    const response = await fetch(this.backendUrl + TOKEN_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator', password: this.password }),
    });
    if (!response.ok) throw new Error(`operator sign-in answered ${response.status}`);
    const body = (await response.json()) as { access_token: string; expires_in: number; role: string };
    this.cached = { token: body.access_token, expiresAtMs: Date.now() + body.expires_in * 1000 };
    return body.access_token;
  }

  /** Headers for the test's own calls to operator routes. */
  async headers(): Promise<Record<string, string>> {
    const token = await this.token();
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  /** Makes every page the test opens afterwards start signed in (no-op while sign-in does not exist). */
  async signIn(page: Page): Promise<void> {
    const token = await this.token();
    if (!token || !this.cached) return;
    const stored = JSON.stringify({ access_token: token, expires_at_ms: this.cached.expiresAtMs, role: 'operator' });
    await page.addInitScript(([key, value]) => window.sessionStorage.setItem(key, value), [OPERATOR_TOKEN_KEY, stored]);
  }
}
