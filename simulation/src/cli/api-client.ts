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

export class ApiClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
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
    if (!response.ok) {
      throw new ApiError(`${method} ${url} answered ${response.status}: ${messageOf(parsed)}`, response.status, parsed);
    }
    return parsed as T;
  }
}
