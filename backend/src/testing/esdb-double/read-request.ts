/**
 * What a `Streams.Read` request asks for, decoded once from the wire options.
 * readStream, readAll, subscribeToStream and subscribeToAll all arrive here;
 * they differ only in these options.
 */
import type { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { StoredEvent } from './in-memory-log';
import { streamNameOf } from './wire-messages';

export type ReadStart = 'start' | 'end' | bigint;

export type ReadTarget =
  | { readonly kind: 'stream'; readonly streamName: string; readonly from: ReadStart }
  | { readonly kind: 'all'; readonly from: ReadStart };

export interface ReadRequest {
  readonly target: ReadTarget;
  readonly direction: 'forwards' | 'backwards';
  /** Undefined for a subscription (it has no count). */
  readonly maxCount?: bigint;
  readonly subscription: boolean;
  /** Server-side filter of a `$all` subscription; accepts everything when absent. */
  readonly accepts: (event: StoredEvent) => boolean;
}

/** Wire value of ReadDirection.BACKWARDS in streams.proto. */
const BACKWARDS = 1;

export function decodeReadRequest(request: ReadReq): ReadRequest {
  const options = request.getOptions();
  if (!options) throw new Error('Read request without options');
  return {
    target: targetOf(options),
    direction: options.getReadDirection() === BACKWARDS ? 'backwards' : 'forwards',
    maxCount: options.hasSubscription() ? undefined : BigInt(options.getCount()),
    subscription: options.hasSubscription(),
    accepts: options.hasFilter() ? filterOf(options.getFilter()) : () => true,
  };
}

function targetOf(options: ReadReq.Options): ReadTarget {
  const stream = options.getStream();
  if (stream) {
    const streamName = streamNameOf(stream.getStreamIdentifier());
    if (stream.hasRevision()) return { kind: 'stream', streamName, from: BigInt(stream.getRevision()) };
    return { kind: 'stream', streamName, from: stream.hasEnd() ? 'end' : 'start' };
  }
  const all = options.getAll();
  if (!all) throw new Error('Read request for neither a stream nor $all');
  const position = all.getPosition();
  // Commit and prepare positions are equal for every record the double writes.
  if (position) return { kind: 'all', from: BigInt(position.getCommitPosition()) };
  return { kind: 'all', from: all.hasEnd() ? 'end' : 'start' };
}

function filterOf(filter: ReadReq.Options.FilterOptions | undefined): (event: StoredEvent) => boolean {
  if (!filter) return () => true;
  const onStreamName = filter.getStreamIdentifier();
  const expression = onStreamName ?? filter.getEventType();
  if (!expression) return () => true;
  const subjectOf = (event: StoredEvent): string => (onStreamName ? event.streamName : event.type);
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  return (event) => {
    const subject = subjectOf(event);
    if (prefixes.length > 0 && !prefixes.some((prefix) => subject.startsWith(prefix))) return false;
    return regex ? regex.test(subject) : true;
  };
}
