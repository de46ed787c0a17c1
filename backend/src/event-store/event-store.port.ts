/**
 * The event store port: the only way the application touches the log.
 *
 * Revisions and positions are bigint because EventStoreDB commit positions are
 * 64-bit byte offsets; converting at the edges keeps both adapters honest.
 */

/** Optimistic-concurrency guard for an append. A bigint is the exact revision of the last event. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/**
 * An event to append. `id` is a UUID (8-4-4-4-12 hex digits) chosen by the
 * caller: re-sending it appends nothing; another form is refused (RangeError).
 */
export interface EventToAppend {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata?: JsonObject;
}

/** An event as stored. `revision` counts from 0 within its stream; `position` orders the global log. */
export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly createdAt: Date;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last appended event (of the existing one on an idempotent re-send). */
  readonly position: bigint;
}

/** One append of a batch to several streams: its revisions are known before it is sent. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  readonly expectedRevision: 'no_stream' | bigint;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive). Default 0. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
  readonly direction?: 'forwards' | 'backwards';
}

export interface ReadAllOptions {
  /** Read events strictly after this position. 0n (default) reads from the start. */
  readonly after?: bigint;
  readonly maxCount?: number;
}

/** A live subscription: yields every committed event after the start position, in global order, forever. */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  unsubscribe(): Promise<void>;
}

/** The log's visible head as it grows: positions only (see EventStore.watchHead). */
export interface HeadWatch extends AsyncIterable<bigint> {
  unsubscribe(): Promise<void>;
}

export type EventStoreKind = 'eventstoredb' | 'postgres' | 'pglite';

export interface EventStore {
  readonly kind: EventStoreKind;
  append(
    streamId: string,
    events: readonly EventToAppend[],
    options?: { readonly expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /**
   * Several appends, in this order, as if made one after the other, with the
   * same expectations and idempotent re-sends. What is stored is always a
   * prefix of the batch: PostgreSQL stores all of it in one transaction or,
   * when an append fails, the appends before it; EventStoreDB one by one.
   * Throws what the first failing append throws. Answers one result per append.
   * Refused before anything is sent (RangeError, nothing stored): an empty
   * batch, an empty append, an event id that is not a UUID (as append refuses
   * it), or the same event id twice in the batch (as a single append refuses
   * it twice in itself).
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream; a stream that does not exist reads as []. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** A page of the global log in position order; never skips a committed event. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: { readonly after?: bigint }): AllSubscription;
  /**
   * The visible head each time it has moved past `after` and past the head
   * last yielded, in increasing order, forever (ends like subscribeToAll).
   * Several appends may show as one head. For a reader that reads the log
   * itself and only needs waking (the projection runner): where the store can,
   * it sends no events, which a subscription to all would read a second time.
   */
  watchHead(options?: { readonly after?: bigint }): HeadWatch;
  /** Position of the last committed event visible to readers (0n when the log is empty). */
  headPosition(): Promise<bigint>;
  /**
   * How many visible events lie strictly after `after`, counting at most `limit`
   * (a count is what a lag is; positions are sparse or byte offsets).
   */
  countEventsAfter(after: bigint, limit: number): Promise<number>;
  /** True when the underlying engine answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Raised when the expected revision does not match; nothing was appended. */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Current revision, or 'no_stream' when the stream does not exist. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Wrong expected version on stream ${streamId}: expected ${String(expected)}, actual ${String(actual)}`);
  }
}

/** Raised when the store cannot be reached, or cannot serve the request now (deadlocked again and again); → HTTP 503. */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}
