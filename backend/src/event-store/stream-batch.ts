/** What both adapters of appendToStreams share (event-store.port.ts). */
import type { AppendResult, EventStore, StreamAppend } from './event-store.port';

/** Refuses a batch that is no batch of valid appends, before anything is sent. */
export function checkStreamBatch(appends: readonly StreamAppend[]): void {
  if (appends.length === 0) throw new RangeError('appendToStreams needs at least one append');
  let events = 0;
  const ids = new Set<string>();
  for (const append of appends) {
    if (append.events.length === 0) throw new RangeError('append needs at least one event');
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
