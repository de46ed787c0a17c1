import { HttpErrorResponse } from '@angular/common/http';

/**
 * One shape for every failed call, so screens never guess. The API answers
 * `{ statusCode, error, message }` where `message` is a string or a list of
 * strings that each start with the offending field's name.
 */
export interface ApiError {
  /** HTTP status; 0 when the backend could not be reached at all. */
  status: number;
  /** Every message, as the API wrote it. */
  messages: string[];
  /** The messages that name a field, keyed by that field. */
  fieldErrors: Record<string, string[]>;
  /** Seconds to wait before trying again, from a 429's Retry-After header. */
  retryAfterS?: number;
}

const FIELD_AT_START = /^([a-z][a-z0-9_]*)\b/;

export function isUnreachable(error: ApiError): boolean {
  return error.status === 0 || error.status === 502 || error.status === 504;
}

/** Maps API messages onto the fields they name, e.g. "seat_id must be at least 1" → seat_id. */
export function fieldErrorsFrom(messages: readonly string[], knownFields: readonly string[]): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  for (const message of messages) {
    const field = FIELD_AT_START.exec(message)?.[1];
    if (field && knownFields.includes(field)) (byField[field] ??= []).push(message);
  }
  return byField;
}

function messagesOf(body: unknown, fallback: string): string[] {
  if (body && typeof body === 'object' && 'message' in body) {
    const message = (body as { message: unknown }).message;
    if (typeof message === 'string') return [message];
    if (Array.isArray(message)) return message.filter((item): item is string => typeof item === 'string');
  }
  return [fallback];
}

export function toApiError(error: unknown, knownFields: readonly string[] = []): ApiError {
  if (error instanceof HttpErrorResponse) {
    const fallback =
      error.status === 0 ? 'The backend is unreachable.' : `${error.status} ${error.statusText || 'error'}`.trim();
    const messages = messagesOf(error.error, fallback);
    const retryAfterS = Number(error.headers?.get('retry-after') ?? Number.NaN);
    return {
      status: error.status,
      messages,
      fieldErrors: fieldErrorsFrom(messages, knownFields),
      ...(Number.isFinite(retryAfterS) ? { retryAfterS } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: -1, messages: [message], fieldErrors: {} };
}

/** Thrown by LabApi so callers can `catch` one type. */
export class ApiCallError extends Error {
  constructor(readonly detail: ApiError) {
    super(detail.messages.join('; '));
    this.name = 'ApiCallError';
  }
}

export function apiErrorOf(error: unknown, knownFields: readonly string[] = []): ApiError {
  if (error instanceof ApiCallError) {
    return { ...error.detail, fieldErrors: fieldErrorsFrom(error.detail.messages, knownFields) };
  }
  return toApiError(error, knownFields);
}
