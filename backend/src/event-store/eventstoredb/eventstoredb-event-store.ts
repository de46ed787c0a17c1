/**
 * The event store on EventStoreDB, through `@eventstore/db-client` (gRPC).
 *
 * Where EventStoreDB and the port differ, the adapter bends to the port:
 * - the port's `after` is exclusive, the client's readAll start is inclusive;
 * - `$all` holds the server's own `$` events, which the port never shows;
 * - an idempotent re-send reports no position on EventStoreDB, the port wants
 *   the stored event's position.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
  type AllSubscription,
  type HeadWatch,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
} from '../event-store.port';
import { headsOfSubscription } from '../heads-of-subscription';
import { appendOneAfterTheOther, checkEventIds, checkStreamBatch } from '../stream-batch';
import { EsdbAllSubscription } from './esdb-all-subscription';
import { toPortError, translatingErrors } from './esdb-error-mapping';
import {
  allPosition,
  allReadStart,
  commitPositionOf,
  isSystemEvent,
  toClientEvent,
  toClientExpectedRevision,
  toRecordedEvent,
} from './esdb-event-mapping';
import { answersWithin } from '../../shared/answers-within';
import { toEsdbConnectionString } from './esdb-connection-string';

export interface EventStoreDbEventStoreOptions {
  /** ping() gives up after this long. Default 1000 ms. */
  readonly pingTimeoutMs?: number;
}

/** Events per `$all` request when paging; one more is asked for the inclusive start. */
const ALL_PAGE_SIZE = 500;
/** headPosition() looks back this many records at a time for the last non-system event. */
const HEAD_LOOKBACK = 32;

export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private readonly subscriptions = new Set<EsdbAllSubscription>();
  private readonly pingTimeoutMs: number;
  private closed = false;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.pingTimeoutMs = options.pingTimeoutMs ?? 1000;
  }

  /** e.g. `esdb://localhost:2113?tls=false` (or `kurrentdb://…`). Connects lazily, on the first call. */
  static fromConnectionString(
    connectionString: string,
    options?: EventStoreDbEventStoreOptions,
  ): EventStoreDbEventStore {
    return new EventStoreDbEventStore(
      EventStoreDBClient.connectionString(toEsdbConnectionString(connectionString)),
      options,
    );
  }

  async append(
    streamId: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    checkEventIds(events);
    const expected = options.expectedRevision ?? 'any';
    const result = await translatingErrors(async () => {
      try {
        return await this.client.appendToStream(streamId, events.map(toClientEvent), {
          expectedRevision: toClientExpectedRevision(expected),
        });
      } catch (error) {
        if (error instanceof ClientWrongExpectedVersionError) {
          throw new WrongExpectedVersionError(streamId, expected, error.actualVersion);
        }
        throw error;
      }
    });
    const position = result.position?.commit ?? (await this.positionOfRevision(streamId, result.nextExpectedRevision));
    return { nextExpectedRevision: result.nextExpectedRevision, position };
  }

  /** One append after the other: this client has no multi-stream append, so a failure leaves the appends before it stored. */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    checkStreamBatch(appends);
    return appendOneAfterTheOther(this, appends);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const backwards = options.direction === 'backwards';
    const resolved = await this.collect(() =>
      this.client.readStream(streamId, {
        fromRevision: options.fromRevision ?? (backwards ? END : START),
        direction: backwards ? BACKWARDS : FORWARDS,
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      }),
    );
    return resolved.flatMap((event) => toRecordedEvent(event) ?? []);
  }

  /**
   * Pages through `$all` until `maxCount` non-system events are found or the
   * log ends: a page made only of system events must not look like the end.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const found: RecordedEvent[] = [];
    let cursor = options.after ?? 0n;
    while (found.length < limit) {
      const requested = Math.min(limit - found.length, ALL_PAGE_SIZE) + 1;
      const page = await this.collect(() =>
        this.client.readAll({ fromPosition: allReadStart(cursor), direction: FORWARDS, maxCount: requested }),
      );
      for (const resolved of page) {
        const position = commitPositionOf(resolved);
        if (position <= cursor) continue; // the inclusive start, already returned by the previous page
        cursor = position;
        const recorded = toRecordedEvent(resolved);
        if (recorded !== undefined) found.push(recorded);
        if (found.length === limit) break;
      }
      if (page.length < requested) break;
    }
    return found;
  }

  subscribeToAll(options: { readonly after?: bigint } = {}): AllSubscription {
    if (this.closed) throw new EventStoreUnavailableError('The event store is closed');
    const after = options.after ?? 0n;
    // The client's subscribeToAll start is exclusive already; EsdbAllSubscription re-checks.
    const source = this.client.subscribeToAll({ fromPosition: after === 0n ? START : allPosition(after) });
    const subscription = new EsdbAllSubscription(source, after, (ended) => this.subscriptions.delete(ended));
    this.subscriptions.add(subscription);
    return subscription;
  }

  watchHead(options: { readonly after?: bigint } = {}): HeadWatch {
    return headsOfSubscription(this.subscribeToAll(options));
  }

  async headPosition(): Promise<bigint> {
    let from: ReturnType<typeof allPosition> | typeof END = END;
    let before: bigint | undefined;
    while (true) {
      const page = await this.collect(() =>
        this.client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: HEAD_LOOKBACK }),
      );
      for (const resolved of page) {
        const position = commitPositionOf(resolved);
        if (before !== undefined && position >= before) continue;
        if (!isSystemEvent(resolved)) return position;
        before = position;
      }
      if (page.length < HEAD_LOOKBACK || before === undefined) return 0n;
      from = allPosition(before);
    }
  }

  /** EventStoreDB keeps no count by position: read the events (bounded by `limit`) and count them. */
  async countEventsAfter(after: bigint, limit: number): Promise<number> {
    return (await this.readAll({ after, maxCount: limit })).length;
  }

  ping(): Promise<boolean> {
    return answersWithin(
      () => this.collect(() => this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })),
      this.pingTimeoutMs,
    );
  }

  /** Ends every subscription, then the client's open calls. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    await this.client.dispose();
  }

  /** An idempotent re-send gets no position from EventStoreDB: look the stored event up. */
  private async positionOfRevision(streamId: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (event === undefined)
      throw new Error(`EventStoreDB reported revision ${revision} of ${streamId}, which cannot be read`);
    return event.position;
  }

  /** Drains a client read; a missing stream reads as []. */
  private async collect(read: () => AsyncIterable<ResolvedEvent>): Promise<ResolvedEvent[]> {
    const events: ResolvedEvent[] = [];
    try {
      for await (const resolved of read()) events.push(resolved);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw toPortError(error);
    }
    return events;
  }
}
