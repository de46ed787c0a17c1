/**
 * Classifies errors raised by `pg` so the store can tell "the database is not
 * there" (→ EventStoreUnavailableError → HTTP 503) from a constraint it relies on.
 */

/** Socket-level errno codes and SQLSTATEs that mean the server cannot serve us right now. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/** `pg` reports a dropped or never-made connection with plain messages and no code. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|Client was closed|Connection ended|Too many connections/i;

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** A Unix socket that is gone (the embedded store stopped) fails `connect` with ENOENT, not ECONNREFUSED. */
const isMissingSocket = (error: unknown, code: string | undefined): boolean =>
  code === 'ENOENT' && (error as { syscall?: unknown }).syscall === 'connect';

export function isUnavailableError(error: unknown): boolean {
  const code = codeOf(error);
  if (isMissingSocket(error, code)) return true;
  // SQLSTATE class 08 = connection exception.
  if (code !== undefined && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isUnavailableError);
  return error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message);
}

/** Name of the unique constraint a statement violated, or undefined for any other error. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  if (codeOf(error) !== '23505') return undefined;
  const constraint = (error as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : '';
}

/** The server broke a deadlock by aborting this statement (SQLSTATE 40P01): nothing of it was stored. */
export function isDeadlock(error: unknown): boolean {
  return codeOf(error) === '40P01';
}
