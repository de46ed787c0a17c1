import { binaryArray, type BinaryElementType } from '../../database/binary-array';
import type { AppendResult, StreamAppend } from '../event-store.port';
import { MAX_EVENTS_PER_APPEND } from './event-log-sql';

/** The columns of the appendToStreams statement (event-log-sql.ts), in its parameters' order. */
type StreamBatchColumns = readonly [
  streamIds: string[],
  revisions: string[],
  eventIds: string[],
  types: string[],
  data: string[],
  metadata: string[],
  neededStreamIds: string[],
  neededRevisions: string[],
];

/** Their element types, as the statement casts them ($1::text[], $2::bigint[], …). */
const COLUMN_TYPES: readonly BinaryElementType[] = ['text', 'int8', 'uuid', 'text', 'jsonb', 'jsonb', 'text', 'int8'];

const rowKey = (streamId: string, revision: bigint | string): string => `${streamId}\u0000${revision}`;

/** A batch's events share one statement, so they share the ordinal bits of its positions. */
export function checkStreamBatchSize(appends: readonly StreamAppend[]): void {
  const events = appends.reduce((sum, append) => sum + append.events.length, 0);
  if (events > MAX_EVENTS_PER_APPEND)
    throw new RangeError(`appendToStreams takes at most ${MAX_EVENTS_PER_APPEND} events`);
}

/**
 * Every event of the batch at the revision its expectation gives it, or null
 * when the batch contradicts itself (a stream's later append does not expect
 * what its earlier one leaves): one append after the other then says which
 * one fails. An exact expectation the batch does not satisfy itself is a
 * revision that must already be stored.
 *
 * Each column goes as one binary array: as JS arrays, pg printed them as array
 * literals (every quote of every event's JSON escaped) and the server parsed
 * them back; binary, the JSON text is sent as it is (the server still checks it).
 */
export function streamBatchParameters(appends: readonly StreamAppend[]): Buffer[] | null {
  const parameters: StreamBatchColumns = [[], [], [], [], [], [], [], []];
  const [streamIds, revisions, eventIds, types, data, metadata, neededStreamIds, neededRevisions] = parameters;
  const lastInBatch = new Map<string, bigint>();
  for (const { streamId, events, expectedRevision } of appends) {
    const before = lastInBatch.get(streamId);
    if (before !== undefined && expectedRevision !== before) return null;
    if (before === undefined && expectedRevision !== 'no_stream') {
      neededStreamIds.push(streamId);
      neededRevisions.push(expectedRevision.toString());
    }
    let revision = expectedRevision === 'no_stream' ? -1n : expectedRevision;
    for (const event of events) {
      revision += 1n;
      streamIds.push(streamId);
      revisions.push(revision.toString());
      eventIds.push(event.id);
      types.push(event.type);
      data.push(JSON.stringify(event.data));
      metadata.push(JSON.stringify(event.metadata ?? {}));
    }
    lastInBatch.set(streamId, revision);
  }
  return parameters.map((column, index) => binaryArray(COLUMN_TYPES[index]!, column));
}

/** One result per append, from the rows the statement inserted; null when it inserted nothing. */
export function streamBatchResults(
  appends: readonly StreamAppend[],
  rows: readonly { readonly stream_id: string; readonly position: string; readonly revision: string }[],
): AppendResult[] | null {
  if (rows.length === 0) return null;
  const positions = new Map(rows.map((row) => [rowKey(row.stream_id, row.revision), BigInt(row.position)]));
  return appends.map(({ streamId, events, expectedRevision }) => {
    const last = (expectedRevision === 'no_stream' ? -1n : expectedRevision) + BigInt(events.length);
    const position = positions.get(rowKey(streamId, last));
    if (position === undefined) throw new Error(`appendToStreams stored no event at ${streamId}@${last}`);
    return { nextExpectedRevision: last, position };
  });
}
