import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { ApiCallError } from '../api/api-error';
import { LabApi } from '../api/lab-api.service';

/** sessionStorage key; the browser suite's operator helper writes the same one. */
export const OPERATOR_TOKEN_KEY = 'ntp-lab.operator';

export interface OperatorToken {
  access_token: string;
  expires_at_ms: number;
  role: string;
}

/** Why the sign-in dialog is open: what the operator was about to do. */
export interface SignInPrompt {
  reason: string;
  /** The token expired or was refused (a 401), rather than never given. */
  expired: boolean;
}

function readStored(storage: Storage | undefined, nowMs: number): OperatorToken | null {
  try {
    const parsed = JSON.parse(storage?.getItem(OPERATOR_TOKEN_KEY) ?? 'null') as OperatorToken | null;
    return parsed && typeof parsed.access_token === 'string' && parsed.expires_at_ms > nowMs ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * The operator's sign-in. Reading and reserving are open; changing the
 * experiment needs the token this keeps (in sessionStorage: it survives a
 * reload, not the closing of the tab). The HTTP interceptor sends it and, on a
 * 401, asks here for a new sign-in before sending the same request again.
 */
@Injectable({ providedIn: 'root' })
export class OperatorSession {
  private readonly api = inject(LabApi);
  private readonly storage: Storage | undefined = globalThis.sessionStorage;
  private readonly token = signal<OperatorToken | null>(readStored(this.storage, Date.now()));
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private waiting: ((signedIn: boolean) => void)[] = [];

  readonly signedIn = computed(() => this.token() !== null);
  readonly prompt = signal<SignInPrompt | null>(null);

  constructor() {
    this.scheduleExpiry();
    inject(DestroyRef).onDestroy(() => clearTimeout(this.expiryTimer));
  }

  bearer(): string | null {
    return this.token()?.access_token ?? null;
  }

  /** Exchanges the credentials for a token; a failure (401, 429 …) is thrown as ApiCallError. */
  async signIn(username: string, password: string): Promise<void> {
    const answer = await this.api.issueToken({ username, password });
    this.store({
      access_token: answer.access_token,
      expires_at_ms: Date.now() + answer.expires_in * 1000,
      role: answer.role,
    });
    this.prompt.set(null);
    this.settleWaiting(true);
  }

  signOut(): void {
    this.store(null);
  }

  /** Opens the sign-in; resolves true once signed in, false if the user cancels. */
  requestSignIn(reason: string, expired = false): Promise<boolean> {
    this.prompt.set({ reason, expired });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  cancelSignIn(): void {
    this.prompt.set(null);
    this.settleWaiting(false);
  }

  /** The backend refused the token (expired, or a new secret): forget it. */
  forget(): void {
    this.store(null);
  }

  private store(token: OperatorToken | null): void {
    this.token.set(token);
    if (token) this.storage?.setItem(OPERATOR_TOKEN_KEY, JSON.stringify(token));
    else this.storage?.removeItem(OPERATOR_TOKEN_KEY);
    this.scheduleExpiry();
  }

  private scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    const token = this.token();
    if (!token) return;
    // setTimeout holds at most ~24.8 days; a token lives minutes to hours.
    const delay = Math.min(Math.max(token.expires_at_ms - Date.now(), 0), 2 ** 31 - 1);
    this.expiryTimer = setTimeout(() => this.store(null), delay);
  }

  private settleWaiting(signedIn: boolean): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve(signedIn);
  }
}

/** Plain words for a failed sign-in. */
export function signInFailureMessage(error: unknown): string {
  const detail = error instanceof ApiCallError ? error.detail : null;
  if (!detail) return 'Sign-in failed.';
  if (detail.status === 401) return 'Wrong user name or password.';
  if (detail.status === 429) {
    const wait = detail.retryAfterS === undefined ? 'a moment' : `${detail.retryAfterS} s`;
    return `Too many attempts: try again in ${wait}.`;
  }
  if (detail.status === 404) return 'This backend has no operator accounts yet: every change is open.';
  if (detail.status === 0) return 'The backend is unreachable.';
  return detail.messages.join(' ');
}
