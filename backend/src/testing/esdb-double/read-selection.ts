/**
 * Which stored events a read returns, and which a subscription replays before
 * going live. Start points follow EventStoreDB:
 * - reads are inclusive of their start (readAll from P returns the event at P),
 *   except a backwards `$all` read from a position, which returns what lies before it;
 * - subscriptions are exclusive (subscribeToAll from P starts after P,
 *   subscribeToStream from r starts at r + 1).
 */
import type { InMemoryLog, StoredEvent } from './in-memory-log';
import type { ReadRequest, ReadStart, ReadTarget } from './read-request';

export type ReadSelection =
  | { readonly kind: 'events'; readonly events: readonly StoredEvent[] }
  | { readonly kind: 'stream_not_found'; readonly streamName: string };

export function selectForRead(log: InMemoryLog, request: ReadRequest): ReadSelection {
  const { target } = request;
  const source = target.kind === 'all' ? log.allEvents() : log.stream(target.streamName);
  if (source === undefined && target.kind === 'stream')
    return { kind: 'stream_not_found', streamName: target.streamName };

  const keyOf = target.kind === 'all' ? byPosition : byRevision;
  const from = target.from;
  const ordered =
    request.direction === 'forwards'
      ? (source ?? []).filter((event) => from !== 'end' && (from === 'start' || keyOf(event) >= from))
      : [...(source ?? [])].reverse().filter((event) => {
          if (from === 'end') return true;
          if (from === 'start') return keyOf(event) === 0n && target.kind === 'stream';
          return target.kind === 'all' ? keyOf(event) < from : keyOf(event) <= from;
        });
  const accepted = ordered.filter(request.accepts);
  const limit = request.maxCount === undefined ? accepted.length : Number(request.maxCount);
  return { kind: 'events', events: accepted.slice(0, limit) };
}

/** Events a subscription sends before `caughtUp`. */
export function selectCatchUp(
  log: InMemoryLog,
  target: ReadTarget,
  accepts: (event: StoredEvent) => boolean,
): StoredEvent[] {
  const source = target.kind === 'all' ? log.allEvents() : (log.stream(target.streamName) ?? []);
  const keyOf = target.kind === 'all' ? byPosition : byRevision;
  return source.filter((event) => isAfter(keyOf(event), target.from) && accepts(event));
}

/** Whether a live event belongs to a subscription on this target. */
export function belongsTo(target: ReadTarget, event: StoredEvent): boolean {
  return target.kind === 'all' || target.streamName === event.streamName;
}

function isAfter(key: bigint, from: ReadStart): boolean {
  if (from === 'start') return true;
  if (from === 'end') return false;
  return key > from;
}

const byPosition = (event: StoredEvent): bigint => event.position;
const byRevision = (event: StoredEvent): bigint => event.revision;
