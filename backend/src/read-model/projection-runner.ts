/**
 * Feeds the global log to the projections in batches. Each batch and the
 * checkpoint that follows it commit in one transaction, so a crash never
 * half-applies a batch and a restart resumes exactly after the last commit.
 */
import { Subject, type Observable } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { runIdOf, type Projection, type ReadModelChange } from './projection';

export interface ProjectionRunnerOptions {
  readonly checkpointName?: string;
  readonly batchSize?: number;
  /** Upper bound on how long the runner sleeps when no wake-up comes. */
  readonly idlePollMs?: number;
  readonly onNotice?: (notice: string) => void;
  readonly onError?: (error: unknown) => void;
}

export interface ProjectedBatch {
  readonly position: bigint;
  readonly events: number;
  readonly changes: readonly ReadModelChange[];
  /** Every event the runner read for this batch, in log order: this process's reading of the log. */
  readonly recorded: readonly RecordedEvent[];
  /** True while a rebuild replays the past. */
  readonly replaying: boolean;
}

const DEFAULT_BATCH_SIZE = 2000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ProjectionRunner {
  private readonly checkpointName: string;
  private readonly batchSize: number;
  private readonly idlePollMs: number;
  private readonly batches = new Subject<ProjectedBatch>();
  private position = 0n;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private wakeSubscription: { unsubscribe(): Promise<void> } | null = null;
  private paused = 0;
  private lastError: unknown = null;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.checkpointName = options.checkpointName ?? 'read_model';
    // Set-based projections make a batch cost a few round trips whatever its size:
    // big batches for catch-up and rebuild; the live loop's batches stay as small as what arrived.
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.idlePollMs = options.idlePollMs ?? 250;
  }

  /** Every committed batch, after commit. */
  get projected$(): Observable<ProjectedBatch> {
    return this.batches.asObservable();
  }

  get projectedPosition(): bigint {
    return this.position;
  }

  get healthy(): boolean {
    return this.lastError === null;
  }

  get lastErrorMessage(): string | null {
    if (this.lastError === null) return null;
    return this.lastError instanceof Error ? this.lastError.message : String(this.lastError);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.position = await this.readCheckpoint();
    this.watchForAppends();
    this.loop = this.runLoop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.wakeSubscription?.unsubscribe().catch(() => undefined);
    await this.loop;
    this.loop = null;
  }

  /** Resolves once everything up to `position` is in the read model (false on timeout). */
  async waitForPosition(position: bigint, timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.position < position) {
      if (Date.now() > deadline) return false;
      this.wake?.();
      await sleep(5);
    }
    return true;
  }

  /** Applies everything available now; used by tests, rebuilds and benchmarks. */
  async catchUp(onProgress?: (position: bigint, events: number) => void): Promise<number> {
    let total = 0;
    for (;;) {
      const applied = await this.applyNextBatch();
      if (applied === 0) return total;
      total += applied;
      onProgress?.(this.position, total);
    }
  }

  /**
   * Empties the read model and replays the whole log. The live loop is
   * paused meanwhile so the two never interleave.
   */
  async rebuild(onProgress?: (position: bigint, events: number) => void): Promise<number> {
    this.paused += 1;
    try {
      await this.batchInFlight;
      await this.dataSource.transaction(async (manager) => {
        for (const projection of this.projections) {
          await manager.query(`TRUNCATE ${projection.tables.join(', ')}`);
        }
        await this.saveCheckpoint(manager, 0n);
      });
      this.position = 0n;
      return await this.catchUp(onProgress);
    } finally {
      this.paused -= 1;
    }
  }

  /**
   * Re-projects the events of one scenario run only: its rows are deleted and
   * rebuilt from the log up to the current checkpoint, leaving the rest of the
   * read model (and the checkpoint) untouched.
   */
  async rebuildRun(runId: string, onProgress?: (position: bigint, events: number) => void): Promise<number> {
    this.paused += 1;
    try {
      await this.batchInFlight;
      const upTo = this.position;
      await this.dataSource.transaction(async (manager) => {
        for (const projection of this.projections) await projection.forgetRun(manager, runId);
      });
      let after = 0n;
      let applied = 0;
      while (after < upTo) {
        const page = await this.store.readAll({ after, maxCount: this.batchSize * 4 });
        if (page.length === 0) break;
        after = page[page.length - 1]!.position;
        const ofRun = page.filter((event) => event.position <= upTo && runIdOf(event) === runId);
        if (ofRun.length > 0) {
          await this.dataSource.transaction(async (manager) => {
            for (const projection of this.projections) await projection.applyBatch(manager, ofRun);
          });
          applied += ofRun.length;
        }
        onProgress?.(after > upTo ? upTo : after, applied);
      }
      return applied;
    } finally {
      this.paused -= 1;
    }
  }

  private async runLoop(): Promise<void> {
    while (this.running) {
      try {
        const applied = this.paused > 0 ? 0 : await this.applyNextBatch();
        this.lastError = null;
        if (applied === 0) await this.idle();
      } catch (error) {
        this.lastError = error;
        this.options.onError?.(error);
        await sleep(Math.min(this.idlePollMs * 4, 1000));
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.idlePollMs);
      this.wake = done;
    });
  }

  private watchForAppends(): void {
    const subscription = this.store.subscribeToAll({ after: this.position });
    this.wakeSubscription = subscription;
    void (async () => {
      try {
        for await (const event of subscription) {
          if (!this.running) break;
          if (event.position > this.position) this.wake?.();
        }
      } catch {
        // The idle poll keeps the runner going when the subscription drops.
      }
    })();
  }

  private batchInFlight: Promise<number> | null = null;

  /** One batch at a time, whoever asks (the loop, a rebuild or a test). */
  private applyNextBatch(): Promise<number> {
    this.batchInFlight ??= this.applyBatchNow().finally(() => {
      this.batchInFlight = null;
    });
    return this.batchInFlight;
  }

  private async applyBatchNow(): Promise<number> {
    const readFrom = this.position;
    const events = await this.store.readAll({ after: readFrom, maxCount: this.batchSize });
    if (events.length === 0) return 0;
    const last = events[events.length - 1]!.position;
    const outcome = await this.dataSource.transaction(async (manager) => {
      const checkpoint = await this.lockCheckpoint(manager);
      // The stored checkpoint went back (another process rebuilt the read model):
      // apply nothing, and re-read from there, or the events in between would be lost.
      if (checkpoint < readFrom) return { kind: 'rewind' as const, rewindTo: checkpoint };
      // Another process (or a crash-restart) may have applied part of this already.
      const fresh = events.filter((event) => event.position > checkpoint);
      const changes: ReadModelChange[] = [];
      const notices: string[] = [];
      for (const projection of this.projections) {
        const result = await projection.applyBatch(manager, fresh);
        changes.push(...result.changes);
        notices.push(...result.notices);
      }
      if (last > checkpoint) await this.saveCheckpoint(manager, last);
      return { kind: 'applied' as const, changes, notices, applied: fresh.length };
    });
    if (outcome.kind === 'rewind') {
      this.position = outcome.rewindTo;
      return events.length;
    }
    this.position = last;
    for (const notice of outcome.notices) this.options.onNotice?.(notice);
    this.batches.next({
      position: last,
      events: outcome.applied,
      changes: outcome.changes,
      recorded: events,
      replaying: this.paused > 0,
    });
    return events.length;
  }

  private async readCheckpoint(): Promise<bigint> {
    const rows: { position: string }[] = await this.dataSource.query(
      `SELECT position FROM projection_checkpoints WHERE name = $1`,
      [this.checkpointName],
    );
    return rows[0] ? BigInt(rows[0].position) : 0n;
  }

  /** Creates the checkpoint row if needed and locks it for this transaction, in one round trip. */
  private async lockCheckpoint(manager: EntityManager): Promise<bigint> {
    // The no-op DO UPDATE takes the row lock (like FOR UPDATE) and RETURNING gives the stored position.
    const rows: { position: string }[] = await manager.query(
      `INSERT INTO projection_checkpoints (name, position) VALUES ($1, 0)
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
       RETURNING position`,
      [this.checkpointName],
    );
    return BigInt(rows[0]!.position);
  }

  private async saveCheckpoint(manager: EntityManager, position: bigint): Promise<void> {
    await manager.query(
      `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
      [this.checkpointName, position.toString()],
    );
  }

  /** For /health and the live stream's lag marker. */
  async lag(): Promise<{ head: bigint; projected: bigint }> {
    return { head: await this.store.headPosition(), projected: this.position };
  }
}
