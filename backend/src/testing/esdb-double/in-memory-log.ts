/**
 * The storage model of the EventStoreDB test double: streams with per-stream
 * revisions and one global transaction log ordered by position.
 *
 * Knows nothing about gRPC; the handlers translate wire messages to and from it.
 * Modelled on EventStoreDB 20+ implicit-commit writes, where every event record
 * has commit position == prepare position and positions are byte offsets (so
 * they grow by the record size, not by one).
 */

/** An event record as the double stores it (bytes kept as sent). */
export interface StoredEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  /** Commit and prepare position at once (implicit-commit write). */
  readonly position: bigint;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as EventStoreDB sends `created`. */
  readonly createdTicks: bigint;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type ExpectedStreamState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export type CurrentStreamState = bigint | 'no_stream';

export type AppendOutcome =
  | {
      readonly kind: 'success';
      readonly currentRevision: CurrentStreamState;
      /** Absent for an idempotent re-send and an empty append (nothing was written). */
      readonly position?: bigint;
    }
  | {
      readonly kind: 'wrong_expected_version';
      readonly current: CurrentStreamState;
      readonly expected: ExpectedStreamState;
    };

export type LogListener = (committed: readonly StoredEvent[]) => void;

/** Where the first record lands: a real log starts after its epoch/system records, never at 0. */
const FIRST_POSITION = 1024n;
/** Fixed per-record overhead of the fake transaction-file layout (header, ids, flags). */
const RECORD_OVERHEAD_BYTES = 96n;
const TICKS_PER_MILLISECOND = 10_000n;

export class InMemoryLog {
  private readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly listeners = new Set<LogListener>();
  private nextPosition = FIRST_POSITION;

  constructor(private readonly now: () => Date = () => new Date()) {}

  append(streamName: string, expected: ExpectedStreamState, proposed: readonly ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamName) ?? [];
    const current: CurrentStreamState = stream.length === 0 ? 'no_stream' : BigInt(stream.length - 1);

    const idempotent = this.idempotentReplay(stream, expected, proposed);
    if (idempotent !== undefined) return idempotent;
    if (!expectationHolds(expected, current)) return { kind: 'wrong_expected_version', current, expected };
    if (proposed.length === 0) return { kind: 'success', currentRevision: current };

    const createdTicks = BigInt(this.now().getTime()) * TICKS_PER_MILLISECOND;
    const written = proposed.map((event, index): StoredEvent => {
      const position = this.nextPosition;
      this.nextPosition += recordSize(streamName, event);
      return { ...event, streamName, revision: BigInt(stream.length + index), position, createdTicks };
    });
    stream.push(...written);
    this.streams.set(streamName, stream);
    this.all.push(...written);
    for (const listener of this.listeners) listener(written);

    const last = written[written.length - 1];
    return { kind: 'success', currentRevision: last.revision, position: last.position };
  }

  /** Events of one stream, or undefined when the stream does not exist. */
  stream(streamName: string): readonly StoredEvent[] | undefined {
    const events = this.streams.get(streamName);
    return events && events.length > 0 ? events : undefined;
  }

  /** The whole global log in position order. */
  allEvents(): readonly StoredEvent[] {
    return this.all;
  }

  /** Registers a listener for events committed from now on; returns the unregister function. */
  onCommit(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A re-send of events already in the stream (same ids, same place) appends
   * nothing and succeeds, as EventStoreDB's idempotency check does. Like a real
   * server after an idempotent write, it reports no position.
   */
  private idempotentReplay(
    stream: readonly StoredEvent[],
    expected: ExpectedStreamState,
    proposed: readonly ProposedEvent[],
  ): AppendOutcome | undefined {
    if (proposed.length === 0) return undefined;
    const first = stream.findIndex((event) => event.id === proposed[0].id);
    if (first < 0) return undefined;
    const sameEvents = proposed.every((event, offset) => stream[first + offset]?.id === event.id);
    const sameExpectation =
      expected.kind === 'any' ||
      expected.kind === 'stream_exists' ||
      (expected.kind === 'no_stream' && first === 0) ||
      (expected.kind === 'revision' && expected.revision === BigInt(first - 1));
    if (!sameEvents || !sameExpectation) return undefined;
    return { kind: 'success', currentRevision: BigInt(first + proposed.length - 1) };
  }
}

function expectationHolds(expected: ExpectedStreamState, current: CurrentStreamState): boolean {
  switch (expected.kind) {
    case 'any':
      return true;
    case 'no_stream':
      return current === 'no_stream';
    case 'stream_exists':
      return current !== 'no_stream';
    case 'revision':
      return current === expected.revision;
  }
}

function recordSize(streamName: string, event: ProposedEvent): bigint {
  const textBytes = Buffer.byteLength(streamName) + Buffer.byteLength(event.type) + Buffer.byteLength(event.id);
  return RECORD_OVERHEAD_BYTES + BigInt(textBytes + event.data.length + event.customMetadata.length);
}
