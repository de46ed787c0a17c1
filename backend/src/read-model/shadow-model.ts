/**
 * A read model rebuilt BESIDE the live one (issue 13.5): the read-model
 * migrations create the same tables in a schema of its own, the projections
 * write there unchanged (their SQL names tables without a schema; the
 * transaction puts the shadow schema first on `search_path`, SET LOCAL so it
 * ends with the transaction, which matters on PGlite where every connection
 * shares one session), and once the shadow has reached the live checkpoint
 * it replaces the live tables (a full rebuild) or the run's rows (a run
 * replay) in one transaction. Readers see the old model until that commit and
 * the new one after it, never a half-built one; the live projection keeps
 * running meanwhile.
 *
 * The shadow never goes past the live checkpoint, so the swap happens at a
 * position the live model has reached too and no live batch is skipped or
 * applied twice. Projections must keep no state between batches outside their
 * tables (crash safety asks that already): the same instances serve both.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { runIdOf, type Projection } from './projection';
import { READ_MODEL_MIGRATIONS } from './read-model-migrations';

/** What a rebuild replaces: every projection table, or one scenario run's rows. */
export type RebuildScope = { readonly kind: 'full' } | { readonly kind: 'run'; readonly runId: string };

export const SHADOW_SCHEMA = 'rm_rebuild';

const SAFE_TABLE = /^[a-z_][a-z0-9_]{0,62}$/;

const safeTable = (table: string): string => {
  if (!SAFE_TABLE.test(table)) throw new Error(`unexpected read-model table name "${table}"`);
  return table;
};

/** Runs `work` with `schema` first on the search path, for this transaction only. */
const inSchema = async <T>(manager: EntityManager, schema: string, work: () => Promise<T>): Promise<T> => {
  const [{ previous }]: { previous: string }[] = await manager.query(
    `SELECT current_setting('search_path') AS previous`,
  );
  await manager.query(`SELECT set_config('search_path', $1, true)`, [`"${schema}", ${previous}`]);
  try {
    return await work();
  } finally {
    await manager.query(`SELECT set_config('search_path', $1, true)`, [previous]);
  }
};

export interface ShadowModelOptions {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly projections: readonly Projection[];
  readonly scope: RebuildScope;
  /**
   * Events per shadow transaction. Big batches, as for a catch-up: a batch
   * costs a few round trips whatever its size, and on hot seats most of a
   * batch's cost is the seats it touches, so small batches only multiply it
   * (measured: 500-event batches rebuilt a hot-seat log 7× slower than 2,000,
   * and 5,000 about 1.3–1.4× slower than 10,000).
   */
  readonly batchSize: number;
  /** Breathing room for everything else after each shadow transaction (see ProjectionRunnerOptions). */
  readonly pauseBetweenBatchesMs?: number;
  /**
   * Where reading starts: a run replay starts with its ScenarioRunStarted
   * (every event of a run follows it) instead of at position 0.
   */
  readonly startWith?: RecordedEvent;
}

export class ShadowModel {
  private cursor: bigint;
  private applied = 0;
  /** The first event, until it is projected (only once the live model has reached it). */
  private leading: RecordedEvent | null;

  constructor(private readonly options: ShadowModelOptions) {
    this.leading = options.startWith ?? null;
    this.cursor = this.leading ? this.leading.position : 0n;
  }

  /** The last log position the shadow has read (events outside its scope included). */
  get position(): bigint {
    return this.cursor;
  }

  /** Events the shadow projected (only those in its scope). */
  get appliedEvents(): number {
    return this.applied;
  }

  /** A fresh, empty shadow schema holding the tables the migrations create. */
  async create(): Promise<void> {
    const { dataSource } = this.options;
    await this.drop();
    await dataSource.query(`CREATE SCHEMA "${SHADOW_SCHEMA}"`);
    await dataSource.transaction((manager) =>
      inSchema(manager, SHADOW_SCHEMA, async () => {
        for (const Migration of READ_MODEL_MIGRATIONS) await new Migration().up(manager.queryRunner!);
      }),
    );
    for (const table of this.tables()) {
      const [{ found }]: { found: string | null }[] = await dataSource.query(`SELECT to_regclass($1)::text AS found`, [
        `"${SHADOW_SCHEMA}".${table}`,
      ]);
      if (found === null) throw new Error(`projection table ${table} is not created by the read-model migrations`);
    }
  }

  /** Projects, batch by batch in short transactions, the log up to `bound` (never past it). */
  async catchUpTo(bound: bigint, onProgress?: (position: bigint, events: number) => void): Promise<void> {
    while (this.cursor < bound || this.leadingDue(bound)) {
      const page = await this.options.store.readAll({ after: this.cursor, maxCount: this.options.batchSize });
      const upToBound = [...this.takeLeading(bound), ...page.filter((event) => event.position <= bound)];
      if (upToBound.length === 0) {
        this.cursor = bound;
        break;
      }
      await this.options.dataSource.transaction((manager) => this.apply(manager, upToBound));
      this.cursor = upToBound[upToBound.length - 1]!.position;
      onProgress?.(this.cursor, this.applied);
      if (this.options.pauseBetweenBatchesMs) await delay(this.options.pauseBetweenBatchesMs);
    }
  }

  /** The events between the shadow and `bound`, or null when more than `limit` remain (catch up first). */
  async remainingUpTo(bound: bigint, limit: number): Promise<RecordedEvent[] | null> {
    const remaining: RecordedEvent[] = this.leadingDue(bound) ? [this.leading!] : [];
    let after = this.cursor;
    while (after < bound) {
      const page = await this.options.store.readAll({ after, maxCount: this.options.batchSize });
      const upToBound = page.filter((event) => event.position <= bound);
      remaining.push(...upToBound);
      if (remaining.length > limit) return null;
      if (upToBound.length < page.length || page.length === 0) break;
      after = page[page.length - 1]!.position;
    }
    return remaining;
  }

  /**
   * Inside the swap transaction: the last events into the shadow, then the
   * shadow replaces the live tables (full) or the run's rows (run).
   */
  async finishAndSwap(manager: EntityManager, remaining: readonly RecordedEvent[], bound: bigint): Promise<void> {
    this.leading = null;
    if (remaining.length > 0) await this.apply(manager, remaining);
    this.cursor = bound;
    const { scope } = this.options;
    if (scope.kind === 'full') {
      for (const table of this.tables()) await this.replaceTable(manager, table);
      return;
    }
    for (const projection of this.options.projections) await projection.forgetRun(manager, scope.runId);
    for (const table of this.tables()) await this.copyRows(manager, table);
  }

  async drop(): Promise<void> {
    await this.options.dataSource.query(`DROP SCHEMA IF EXISTS "${SHADOW_SCHEMA}" CASCADE`);
  }

  private leadingDue(bound: bigint): boolean {
    return this.leading !== null && this.leading.position <= bound;
  }

  private takeLeading(bound: bigint): RecordedEvent[] {
    if (!this.leadingDue(bound)) return [];
    const leading = this.leading!;
    this.leading = null;
    return [leading];
  }

  private tables(): string[] {
    return [...new Set(this.options.projections.flatMap((projection) => projection.tables.map(safeTable)))];
  }

  private async apply(manager: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    const { scope } = this.options;
    const inScope = scope.kind === 'full' ? events : events.filter((event) => runIdOf(event) === scope.runId);
    if (inScope.length === 0) return;
    await inSchema(manager, SHADOW_SCHEMA, async () => {
      for (const projection of this.options.projections) await projection.applyBatch(manager, inScope);
    });
    this.applied += inScope.length;
  }

  /** The live table goes; the shadow's (same columns, indexes and constraint names) moves into its schema. */
  private async replaceTable(manager: EntityManager, table: string): Promise<void> {
    const [{ schema }]: { schema: string }[] = await manager.query(
      `SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.oid = to_regclass($1)`,
      [table],
    );
    await manager.query(`DROP TABLE "${schema}".${table}`);
    await manager.query(`ALTER TABLE "${SHADOW_SCHEMA}".${table} SET SCHEMA "${schema}"`);
  }

  private async copyRows(manager: EntityManager, table: string): Promise<void> {
    const columns: { name: string }[] = await manager.query(
      `SELECT quote_ident(column_name) AS name FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [SHADOW_SCHEMA, table],
    );
    const list = columns.map((column) => column.name).join(', ');
    await manager.query(`INSERT INTO ${table} (${list}) SELECT ${list} FROM "${SHADOW_SCHEMA}".${table}`);
  }
}
