import type { Pool, PoolClient, QueryResult } from 'pg';
import { binaryArray, type BinaryElementType } from '../../database/binary-array';
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
import { appendStatement } from './append-statement';
import { guardClient, type ConnectionErrorListener } from './client-error-guard';
import { toRecordedEvent, type EventRow } from './event-row';
import {
  EVENT_ID_CONSTRAINT,
  MAX_EVENTS_PER_APPEND,
  MIGRATION_LOCK_KEY,
  STREAM_REVISION_CONSTRAINT,
  eventLogSql,
  logStatisticsSql,
  migrationSql,
  type EventLogSql,
  type LogStatisticsSql,
} from './event-log-sql';
import { isUnavailableError, violatedUniqueConstraint } from './pg-errors';
import { groupKey, NewStreamGroupCommit, type NewStreamAppend } from './new-stream-group-commit';
import { analyzeThreshold, LogStatistics } from './log-statistics';
import { PollingSubscription, type PollingSubscriptionSource } from './polling-subscription';
import { checkStreamBatchSize, streamBatchParameters, streamBatchResults } from './stream-batch';
import { appendOneAfterTheOther, checkEventIds, checkStreamBatch } from '../stream-batch';
import { queryPrepared } from './prepared-query';
import { WakeSignal } from './wake-signal';
import { answersWithin } from '../../shared/answers-within';

export interface PostgresEventStoreOptions {
  readonly pool: Pool;
  /** Schema holding the `events` table. Default 'public'. */
  readonly schema?: string;
  /** Which engine is behind the pool: a real server, or embedded PGlite through its socket. */
  readonly kind: 'postgres' | 'pglite';
  /** How often an idle subscription re-reads the log for appends by other processes. Default 20 ms. */
  readonly pollIntervalMs?: number;
  /**
   * Whether close() ends the pool. Default false: whoever created the pool ends
   * it, because the same pool is usually shared with the read model.
   */
  readonly ownsPool?: boolean;
  /** ping() gives up after this long. Default 1000 ms. */
  readonly pingTimeoutMs?: number;
  /**
   * Group commit of one-event appends to new streams (new-stream-group-commit.ts):
   * how many group statements may be in flight at once. Default 2; 0 turns it off.
   */
  readonly groupCommitInFlight?: number;
  /** Called after each committed append (a cluster node tells the others with it). Default: nothing. */
  readonly afterAppend?: () => void;
  /**
   * Told about connection errors the pool's clients raise outside a query (a server going away),
   * and about a background ANALYZE that failed. Default: ignored.
   */
  readonly onConnectionError?: ConnectionErrorListener;
  /**
   * Whether the store keeps the log's planner statistics itself (log-statistics.ts).
   * Default: on PGlite, which runs no autovacuum; a server's autovacuum does it.
   */
  readonly analyzeLog?: boolean;
}

const LAST_REVISION = 9_223_372_036_854_775_807n;
/** 'any' / 'stream_exists' appends that lose a revision race retry; this bounds a pathological loop. */
const MAX_APPEND_ATTEMPTS = 50;
const DEFAULT_GROUP_COMMIT_IN_FLIGHT = 2;
/** Bounds one group statement's parameters (five arrays of this many). */
const MAX_GROUP_SIZE = 1000;

interface AppendedRow {
  readonly position: string;
  readonly revision: string;
}
interface GroupAppendedRow extends AppendedRow {
  readonly stream_id: string;
  readonly event_id: string;
}
interface StreamBatchRow extends AppendedRow {
  readonly stream_id: string;
}
interface StoredIdRow {
  readonly event_id: string;
  readonly stream_id: string;
  readonly revision: string;
  readonly position: string;
}

/**
 * The event store on PostgreSQL (a real server, or PGlite through pglite-socket).
 * Each append is ONE autocommit statement (expected-revision check and insert
 * together, in the cheapest form the call allows: see append-statement.ts), so
 * the happy path is one pool checkout and one round trip, like a raw INSERT. The unique
 * constraints do the rest: (stream_id, revision) catches concurrent writers the
 * check could not see, event_id catches re-sent events; only then does the
 * store look further (idempotent success, retry, or WrongExpectedVersionError).
 * See event-log-sql.ts for why the global position never skips an event.
 */
export class PostgresEventStore implements EventStore {
  readonly kind: 'postgres' | 'pglite';
  private readonly pool: Pool;
  private readonly sql: EventLogSql;
  private readonly schema: string;
  private readonly appended = new WakeSignal();
  private readonly subscriptions = new Set<{ unsubscribe(): Promise<void> }>();
  private readonly pollIntervalMs: number;
  private readonly pingTimeoutMs: number;
  private readonly ownsPool: boolean;
  private closed = false;
  private readonly groupCommit: NewStreamGroupCommit | null;
  private readonly statistics: LogStatistics | null;
  private readonly statisticsSql: LogStatisticsSql;
  /** A pooled client whose server goes away emits 'error' (see client-error-guard.ts); unhandled, it kills the process. */
  private readonly onConnectionError: ConnectionErrorListener;
  private readonly guardNewClient = (client: PoolClient): void => void guardClient(client, this.onConnectionError);

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.pool = options.pool;
    this.kind = options.kind;
    this.schema = options.schema ?? 'public';
    this.sql = eventLogSql(this.schema);
    this.statisticsSql = logStatisticsSql(this.schema);
    this.pollIntervalMs = options.pollIntervalMs ?? 20;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 1000;
    this.ownsPool = options.ownsPool ?? false;
    this.onConnectionError = options.onConnectionError ?? ((): void => undefined);
    this.pool.on('error', this.onConnectionError);
    this.pool.on('connect', this.guardNewClient);
    const inFlight = options.groupCommitInFlight ?? DEFAULT_GROUP_COMMIT_IN_FLIGHT;
    this.groupCommit =
      inFlight > 0 ? new NewStreamGroupCommit((group) => this.appendGroup(group), inFlight, MAX_GROUP_SIZE) : null;
    this.statistics =
      (options.analyzeLog ?? options.kind === 'pglite')
        ? new LogStatistics({
            analyze: () => this.runAnalyze(),
            onError: (error) =>
              this.onConnectionError(new Error(`background ANALYZE of the log failed: ${messageOf(error)}`)),
          })
        : null;
  }

  /**
   * Creates the schema, table, constraints and append-only trigger if missing. Safe to run concurrently.
   * Then learns how current the log's statistics are, where the store keeps them.
   */
  async migrate(): Promise<void> {
    await this.unavailableOnConnectionError(async () => {
      const client = guardClient(await this.pool.connect(), this.onConnectionError);
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        for (const statement of migrationSql(this.schema)) await client.query(statement);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    });
    if (this.statistics) this.statistics.start(await this.unavailableOnConnectionError(() => this.lastAnalyze()));
  }

  /** What the log's last ANALYZE counted, and the events stored since (up to the threshold), from the table. */
  private async lastAnalyze(): Promise<{ analyzedRows: number; appendedSince: number }> {
    const { rows } = await this.pool.query<{ analyzed_rows: number; last_position: string | null }>(
      this.statisticsSql.lastAnalyze,
      [this.schema],
    );
    const analyzed = rows[0]?.analyzed_rows ?? -1;
    const analyzedRows = Math.max(0, analyzed);
    const after = analyzed < 0 ? '-1' : (rows[0]?.last_position ?? '-1');
    const { rows: counted } = await this.pool.query<{ count: number }>(this.statisticsSql.countAfterPosition, [
      after,
      Math.ceil(analyzeThreshold(analyzedRows)),
    ]);
    return { analyzedRows, appendedSince: counted[0]?.count ?? 0 };
  }

  /** ANALYZE of the log (log-statistics.ts); answers the rows it counted. */
  private async runAnalyze(): Promise<number> {
    // Several statements and no parameters: a simple query, which answers one result per statement.
    const results = (await this.pool.query(this.statisticsSql.analyze)) as unknown as QueryResult<{
      analyzed_rows: number;
    }>[];
    return Math.max(0, results[results.length - 1]?.rows[0]?.analyzed_rows ?? 0);
  }

  async append(
    streamId: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    if (events.length > MAX_EVENTS_PER_APPEND) {
      throw new RangeError(`append takes at most ${MAX_EVENTS_PER_APPEND} events`);
    }
    checkEventIds(events);
    if (new Set(events.map((event) => event.id)).size !== events.length) {
      throw new RangeError('append got the same event id twice');
    }
    const expected = options.expectedRevision ?? 'any';
    const [only] = events;
    const result = await this.unavailableOnConnectionError(async () => {
      if (only !== undefined && events.length === 1 && expected === 'no_stream' && this.groupCommit) {
        const grouped = await this.groupCommit.append(streamId, only);
        if (grouped) return grouped;
      }
      return this.appendWithRetry(streamId, events, expected);
    });
    this.announceAppend(events.length);
    return result;
  }

  /**
   * The whole batch as one statement (one transaction). When it stores
   * nothing (an expectation fails, an id is already stored: a re-send), the
   * appends go one after the other, which stores the prefix before the first
   * failure and explains it exactly as a single append does.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    checkStreamBatch(appends);
    checkStreamBatchSize(appends);
    const parameters = streamBatchParameters(appends);
    if (parameters === null) return appendOneAfterTheOther(this, appends);
    const stored = await this.unavailableOnConnectionError(async () => {
      try {
        const { rows } = await queryPrepared<StreamBatchRow>(this.pool, this.sql.appendToStreams, parameters);
        return streamBatchResults(appends, rows);
      } catch (error) {
        const constraint = violatedUniqueConstraint(error);
        if (constraint !== STREAM_REVISION_CONSTRAINT && constraint !== EVENT_ID_CONSTRAINT) throw error;
        return null;
      }
    });
    if (stored === null) return appendOneAfterTheOther(this, appends);
    this.announceAppend(appends.reduce((sum, each) => sum + each.events.length, 0));
    return stored;
  }

  /** Wakes this process's subscriptions, and tells whoever listens (a cluster node's announcer). */
  private announceAppend(events: number): void {
    this.statistics?.noteAppended(events);
    this.appended.notify();
    this.options.afterAppend?.();
  }

  private async appendGroup(group: readonly NewStreamAppend[]): Promise<ReadonlyMap<string, AppendResult>> {
    // Binary arrays, as appendToStreams sends them (stream-batch.ts): no array literals to print and parse.
    const columns: [BinaryElementType, string[]][] = [
      ['text', group.map((each) => each.streamId)],
      ['uuid', group.map((each) => each.event.id)],
      ['text', group.map((each) => each.event.type)],
      ['jsonb', group.map((each) => JSON.stringify(each.event.data))],
      ['jsonb', group.map((each) => JSON.stringify(each.event.metadata ?? {}))],
    ];
    const { rows } = await queryPrepared<GroupAppendedRow>(
      this.pool,
      this.sql.appendFirstEventsOfNewStreams,
      columns.map(([type, values]) => binaryArray(type, values)),
    );
    return new Map(
      rows.map((row) => [
        groupKey(row.stream_id, row.event_id),
        { nextExpectedRevision: BigInt(row.revision), position: BigInt(row.position) },
      ]),
    );
  }

  private async appendWithRetry(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const ids = events.map((event) => event.id);
    const statement = appendStatement(this.sql, streamId, events, expected);

    for (let attempt = 1; ; attempt += 1) {
      try {
        const { rows } = await queryPrepared<AppendedRow>(this.pool, statement.text, statement.values);
        if (rows.length > 0) return lastOf(rows);
      } catch (error) {
        const constraint = violatedUniqueConstraint(error);
        if (constraint !== STREAM_REVISION_CONSTRAINT && constraint !== EVENT_ID_CONSTRAINT) throw error;
        // A concurrent append won the revision (or the same ids); fall through to find out which.
        const losesRaceOnly =
          constraint === STREAM_REVISION_CONSTRAINT && (expected === 'any' || expected === 'stream_exists');
        if (losesRaceOnly && attempt < MAX_APPEND_ATTEMPTS && !(await this.anyIdStored(ids))) continue;
      }
      return this.explainNothingAppended(streamId, ids, expected);
    }
  }

  /** Nothing was inserted: either these events are already stored (success) or the expectation failed. */
  private async explainNothingAppended(
    streamId: string,
    ids: readonly string[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const { rows: stored } = await this.pool.query<StoredIdRow>(this.sql.findEventIds, [ids]);
    if (stored.length > 0) {
      const allInThisStream = stored.length === new Set(ids).size && stored.every((row) => row.stream_id === streamId);
      if (!allInThisStream) {
        throw new Error(
          `Event id(s) ${stored.map((row) => row.event_id).join(', ')} are already stored, but not as exactly this append to ${streamId}`,
        );
      }
      return lastOf(stored);
    }
    const { rows } = await queryPrepared<{ revision: string | null }>(this.pool, this.sql.streamHead, [streamId]);
    const head = rows[0]?.revision;
    throw new WrongExpectedVersionError(streamId, expected, head == null ? 'no_stream' : BigInt(head));
  }

  private async anyIdStored(ids: readonly string[]): Promise<boolean> {
    const { rows } = await this.pool.query<StoredIdRow>(this.sql.findEventIds, [ids]);
    return rows.length > 0;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? LAST_REVISION : 0n);
    const { rows } = await this.unavailableOnConnectionError(() =>
      queryPrepared<EventRow>(this.pool, backwards ? this.sql.readStreamBackwards : this.sql.readStreamForwards, [
        streamId,
        from.toString(),
        options.maxCount ?? null,
      ]),
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? 0n;
    const { rows } = await this.unavailableOnConnectionError(() =>
      queryPrepared<EventRow>(this.pool, this.sql.readAll, [after.toString(), options.maxCount ?? null]),
    );
    return rows.map(toRecordedEvent);
  }

  subscribeToAll(options: { readonly after?: bigint } = {}): AllSubscription {
    return this.poll(options.after, {
      readPage: (after, maxCount) => this.readAll({ after, maxCount }),
      positionOf: (event) => event.position,
    });
  }

  /** Polls the head (one index probe) instead of reading the events. */
  watchHead(options: { readonly after?: bigint } = {}): HeadWatch {
    return this.poll(options.after, {
      readPage: async (after) => {
        const head = await this.headPosition();
        return head > after ? [head] : [];
      },
      positionOf: (head) => head,
    });
  }

  private poll<Item>(
    after: bigint | undefined,
    source: Pick<PollingSubscriptionSource<Item>, 'readPage' | 'positionOf'>,
  ): PollingSubscription<Item> {
    if (this.closed) throw new EventStoreUnavailableError('The event store is closed');
    const subscription = new PollingSubscription<Item>(
      { ...source, appended: this.appended, pollIntervalMs: this.pollIntervalMs },
      after ?? 0n,
      (ended) => this.subscriptions.delete(ended),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    const { rows } = await this.unavailableOnConnectionError(() =>
      queryPrepared<{ position: string }>(this.pool, this.sql.headPosition, []),
    );
    return BigInt(rows[0]?.position ?? '0');
  }

  async countEventsAfter(after: bigint, limit: number): Promise<number> {
    const { rows } = await this.unavailableOnConnectionError(() =>
      queryPrepared<{ count: number }>(this.pool, this.sql.countAfter, [after.toString(), limit]),
    );
    return rows[0]?.count ?? 0;
  }

  ping(): Promise<boolean> {
    return answersWithin(() => this.pool.query('SELECT 1'), this.pingTimeoutMs);
  }

  /** Ends every subscription; ends the pool only when the store owns it (see `ownsPool`). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.statistics?.close();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    this.pool.off('error', this.onConnectionError);
    this.pool.off('connect', this.guardNewClient);
    if (this.ownsPool) await this.pool.end();
  }

  private async unavailableOnConnectionError<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isUnavailableError(error)) {
        throw new EventStoreUnavailableError(`${this.kind} event store unavailable: ${messageOf(error)}`, error);
      }
      throw error;
    }
  }
}

function lastOf(rows: readonly { position: string; revision: string }[]): AppendResult {
  let last = rows[0];
  for (const row of rows) if (last === undefined || BigInt(row.position) > BigInt(last.position)) last = row;
  if (last === undefined) throw new Error('lastOf needs at least one row');
  return { nextExpectedRevision: BigInt(last.revision), position: BigInt(last.position) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
