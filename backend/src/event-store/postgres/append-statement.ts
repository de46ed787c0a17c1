import type { EventToAppend, ExpectedRevision } from '../event-store.port';
import type { EventLogSql } from './event-log-sql';

/** One append statement with its parameters, ready for queryPrepared. */
export interface AppendStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * Picks the cheapest append statement for a call. Every form inserts the same
 * rows and fails the same ways (see event-log-sql.ts); they differ only in
 * work per call. Measured through pglite-socket, one event: the general form
 * costs ≈ 270 µs, one event as typed parameters instead of a jsonb array
 * ≈ 250 µs, and 'no_stream' without reading the stream head ≈ 225 µs, which
 * is what a raw single-row INSERT costs (≈ 215 µs). A reservation attempt is
 * exactly that last case: one event to a new stream.
 */
export function appendStatement(
  sql: EventLogSql,
  streamId: string,
  events: readonly EventToAppend[],
  expected: ExpectedRevision,
): AppendStatement {
  const [only] = events;
  if (events.length === 1 && only !== undefined) {
    const event = [only.id, only.type, JSON.stringify(only.data), JSON.stringify(only.metadata ?? {})];
    if (expected === 'no_stream') return { text: sql.appendOneToNewStream, values: [streamId, ...event] };
    return { text: sql.appendOne, values: [streamId, ...expectationParameters(expected), ...event] };
  }
  const payload = JSON.stringify(
    events.map((event) => ({ id: event.id, type: event.type, data: event.data, metadata: event.metadata ?? {} })),
  );
  if (expected === 'no_stream') return { text: sql.appendToNewStream, values: [streamId, payload] };
  return { text: sql.append, values: [streamId, payload, ...expectationParameters(expected)] };
}

/** The (expectation, exact revision) parameter pair of the statements that read the stream head. */
function expectationParameters(expected: ExpectedRevision): [string, string | null] {
  return typeof expected === 'bigint' ? ['exact', expected.toString()] : [expected, null];
}
