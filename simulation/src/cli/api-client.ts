/** The CLI's only way to the backend: JSON over HTTP with fetch. */
import { ApiError } from './cli-errors';

export interface ApiErrorBody {
  readonly statusCode?: number;
  readonly error?: string;
  readonly message?: string | string[];
}

const messageOf = (body: unknown): string => {
  const message = (body as ApiErrorBody | null)?.message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : JSON.stringify(body);
};

/**
 * How the CLI proves it is the operator (changing clocks, scenarios, runs and
 * replays needs it): a token as is, or the password to exchange for one on the
 * first write.
 */
export interface OperatorCredentials {
  readonly token?: string | undefined;
  readonly password?: string | undefined;
}

const SIGN_IN_HINT =
  'this changes the experiment and needs the operator: pass --token (or NTP_LAB_TOKEN), or the password with ' +
  '--password-file (or NTP_LAB_PASSWORD); `make dev` keeps a generated one in .data/operator-password';

const TOKEN_PATH = '/api/auth/token';

export class ApiClient {
  readonly baseUrl: string;
  private token: string | undefined;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 30_000,
    private readonly credentials: OperatorCredentials = {},
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.token = credentials.token;
  }

  put<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  /** Reads go without a token (they are open); writes carry one when the CLI has or can get one. */
  private async authorization(method: string, path: string): Promise<Record<string, string>> {
    if (method === 'GET' || path === TOKEN_PATH) return {};
    if (this.token === undefined && this.credentials.password !== undefined) {
      const answer = await this.request<{ access_token: string }>('POST', TOKEN_PATH, {
        username: 'operator',
        password: this.credentials.password,
      });
      this.token = answer.access_token;
    }
    return this.token === undefined ? {} : { authorization: `Bearer ${this.token}` };
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const authorization = await this.authorization(method, path);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { ...authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new ApiError(`cannot reach the API at ${this.baseUrl} (${cause}); is the backend running (make dev)?`);
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    if (response.status === 401 && path !== TOKEN_PATH) {
      const why = authorization['authorization'] ? 'the operator token was refused (expired?)' : SIGN_IN_HINT;
      throw new ApiError(`${method} ${url} answered 401: ${why}`, 401, parsed);
    }
    if (!response.ok) {
      throw new ApiError(`${method} ${url} answered ${response.status}: ${messageOf(parsed)}`, response.status, parsed);
    }
    return parsed as T;
  }
}
