/**
 * Client errors → port errors. Only "cannot reach the server" becomes
 * EventStoreUnavailableError (the HTTP layer answers 503 for it); anything
 * else is a bug or a misuse and travels unchanged.
 */
import { status } from '@grpc/grpc-js';
import { ErrorType, isCommandError } from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../event-store.port';

const UNAVAILABLE_TYPES = new Set<ErrorType>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.CANCELLED,
  ErrorType.NOT_LEADER,
]);
const UNAVAILABLE_GRPC_CODES = new Set<number>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.CANCELLED]);

export function isUnavailable(error: unknown): boolean {
  if (error instanceof Error && isCommandError(error)) return UNAVAILABLE_TYPES.has(error.type);
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') {
    return UNAVAILABLE_GRPC_CODES.has(error.code);
  }
  // Cluster discovery (gossip) gives up with a plain Error.
  return error instanceof Error && error.message.startsWith('Failed to discover');
}

export function toPortError(error: unknown): unknown {
  if (!isUnavailable(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new EventStoreUnavailableError(`EventStoreDB unavailable: ${reason}`, error);
}

/** Runs a client call, rethrowing connection failures as the port's EventStoreUnavailableError. */
export async function translatingErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toPortError(error);
  }
}
