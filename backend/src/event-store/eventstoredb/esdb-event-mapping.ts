/**
 * Conversions between the port's types and `@eventstore/db-client`'s.
 */
import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  jsonEvent,
  type AppendExpectedRevision,
  type EventData,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventToAppend, ExpectedRevision, JsonObject, JsonValue, RecordedEvent } from '../event-store.port';

export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

export function toClientEvent(event: EventToAppend): EventData {
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata });
}

/**
 * A `$all` read start at exactly `position`. The port keeps one bigint; EventStoreDB
 * wants a (commit, prepare) pair. For the implicit-commit writes gRPC clients make,
 * every event's prepare position equals its commit position, so the pair is (p, p).
 */
export function allPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

/** 0n means "from the very start" in the port; EventStoreDB's log never has an event at 0. */
export function allReadStart(after: bigint): ReadPosition {
  return after === 0n ? START : allPosition(after);
}

/** Streams and event types starting with '$' are EventStoreDB's own (users, stats, projections, metadata). */
export function isSystemEvent(resolved: ResolvedEvent): boolean {
  const event = resolved.event;
  return event === undefined || event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** Commit position of a resolved event: on the record for stream reads, on the wrapper for `$all`. */
export function commitPositionOf(resolved: ResolvedEvent): bigint {
  const position = resolved.event?.position?.commit ?? resolved.commitPosition;
  if (position === undefined)
    throw new Error(`EventStoreDB returned event ${resolved.event?.id ?? '?'} without a position`);
  return position;
}

/** Undefined for what the port does not carry: system events and unresolved links. */
export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (event === undefined || isSystemEvent(resolved)) return undefined;
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    position: commitPositionOf(resolved),
    data: asJsonObject(event.data),
    metadata: event.metadata === undefined ? {} : asJsonObject(event.metadata),
    createdAt: event.created,
  };
}

/**
 * The port carries JSON objects. Anything else in the log was written by
 * another client (binary data, a bare JSON value); rather than fail a whole
 * readAll, it is wrapped so nothing is lost: `{ value }` for a JSON value,
 * `{ bytes_base64 }` for bytes.
 */
function asJsonObject(payload: unknown): JsonObject {
  if (payload instanceof Uint8Array) return { bytes_base64: Buffer.from(payload).toString('base64') };
  if (isJsonObject(payload)) return payload;
  return { value: payload as JsonValue };
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
