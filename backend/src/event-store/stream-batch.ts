/** What both adapters of appendToStreams share (event-store.port.ts). */
import { isCanonicalUuid } from '../shared/uuid-form';
import type { AppendResult, EventStore, EventToAppend, StreamAppend } from './event-store.port';

/** Refuses an event id that is not a UUID before anything is sent, alike on every store. */
export function checkEventIds(events: readonly EventToAppend[]): void {
  for (const { id } of events) {
    if (!isCanonicalUuid(id)) throw new RangeError(`event id ${JSON.stringify(id)} is not a UUID`);
  }
}

/** Refuses a batch that is no batch of valid appends, before anything is sent. */
export function checkStreamBatch(appends: readonly StreamAppend[]): void {
  if (appends.length === 0) throw new RangeError('appendToStreams needs at least one append');
  let events = 0;
  const ids = new Set<string>();
  for (const append of appends) {
    if (append.events.length === 0) throw new RangeError('append needs at least one event');
    checkEventIds(append.events);
    events += append.events.length;
    for (const event of append.events) ids.add(event.id.toLowerCase());
  }
  if (ids.size !== events) throw new RangeError('appendToStreams got the same event id twice');
}

/** The batch as single appends, in order: a failure leaves the appends before it stored, and is thrown. */
export async function appendOneAfterTheOther(
  store: Pick<EventStore, 'append'>,
  appends: readonly StreamAppend[],
): Promise<AppendResult[]> {
  const results: AppendResult[] = [];
  for (const { streamId, events, expectedRevision } of appends) {
    results.push(await store.append(streamId, events, { expectedRevision }));
  }
  return results;
}
