/**
 * Feeds the global log to the projections in batches. Each batch and the
 * checkpoint that follows it commit in one transaction, so a crash never
 * half-applies a batch and a restart resumes exactly after the last commit.
 * A rebuild runs beside the live model (shadow-model.ts) and replaces it in
 * one transaction; the live loop never stops for it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { BehaviorSubject, distinctUntilChanged, Subject, type Observable } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { advanceCheckpointFrom, lockCheckpoint, readCheckpoint, saveCheckpoint } from './checkpoints';
import type { BatchOutcome, PlannedBatch, Projection, ReadModelChange } from './projection';
import { soleProjectionLease, type ProjectionLease } from './projection-lease';
import { ShadowModel, type RebuildScope } from './shadow-model';

export interface ProjectionRunnerOptions {
  readonly checkpointName?: string;
  readonly batchSize?: number;
  /** Batch size of a rebuild's shadow (default 10,000, see DEFAULT_REBUILD_BATCH_SIZE). */
  readonly rebuildBatchSize?: number;
  /**
   * Pause after each shadow batch (default 0). On PGlite every other
   * connection waits while a transaction is open (STACK.md): the pause lets
   * the queries queued behind a shadow batch (the live loop, settlement,
   * readers) run their chains of statements before the next one starts.
   */
  readonly rebuildPauseMs?: number;
  /**
   * Upper bound on how long the runner sleeps when no wake-up comes (default
   * 5 s). Appends wake it through the log subscription and a leader's commits
   * through nudge(); this is the net under both. A follower wakes at least
   * every leaseRetryMs to ask for the lease.
   */
  readonly idlePollMs?: number;
  /**
   * While a bulk append runs (gatherDuring), how long the live loop lets more
   * events gather after a batch that did not fill up (default 0), unless
   * someone waits on a position. A seeded run appends its steps one after
   * another: projected as they come, each costs a batch transaction that the
   * next append waits behind (on PGlite, one backend serves them in turn).
   * Not for live traffic: under sustained requests the pause made settlement
   * later (PGlite, 64 connections: 100 % of seats on time without, 82–86 % with 20 ms).
   */
  readonly gatherMs?: number;
  readonly onNotice?: (notice: string) => void;
  readonly onError?: (error: unknown) => void;
  /**
   * Who projects (default: this process, always). Without the lease the
   * runner follows: it reads the log up to the stored checkpoint, applies
   * nothing, and emits those events as batches with no changes.
   */
  readonly lease?: ProjectionLease;
  /** How often a follower asks for the lease (default 1 s). */
  readonly leaseRetryMs?: number;
  /**
   * Runs inside the transaction of each applied batch and swap, so what it
   * sends (NOTIFY) is delivered exactly when the batch commits.
   */
  readonly publish?: (manager: EntityManager, published: PublishedBatch) => Promise<void>;
}

/** What a committed batch or swap tells the other nodes. */
export type PublishedBatch =
  | {
      readonly kind: 'batch';
      readonly position: bigint;
      readonly changes: readonly ReadModelChange[];
      readonly recorded: readonly RecordedEvent[];
    }
  | { readonly kind: 'swap'; readonly position: bigint };

export interface ProjectedBatch {
  readonly position: bigint;
  readonly events: number;
  readonly changes: readonly ReadModelChange[];
  /** Every event the runner read for this batch, in log order: this process's reading of the log. */
  readonly recorded: readonly RecordedEvent[];
  /**
   * Always false: a rebuild runs beside the live model and emits nothing here
   * (its end is announced on swapped$). Kept for consumers that skip replays.
   */
  readonly replaying: boolean;
}

/**
 * A rebuilt model replaced the live one (all of it, or one run's rows). The
 * new model reflects exactly the log up to `position`, the live checkpoint at
 * that moment; it is emitted after the swap commits and before the next
 * batch, and every later ProjectedBatch has a position above it.
 */
export interface ReadModelSwap {
  readonly position: bigint;
  readonly scope: RebuildScope;
  /** Events the rebuild projected (those in its scope). */
  readonly events: number;
}

export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';
  constructor() {
    super('a rebuild is already running; one at a time');
  }
}

const DEFAULT_BATCH_SIZE = 2000;
const DEFAULT_IDLE_POLL_MS = 5000;
const DEFAULT_LEASE_RETRY_MS = 1000;
/**
 * A shadow batch's cost is mostly its rows, but each batch rewrites every seat
 * it touches (with its analysis) and reloads them: fewer, bigger batches write
 * each seat about once. Measured on PGlite, 200,000 events: 10,000-event
 * batches took 20–26 s under load where 5,000 took 27–36 s.
 */
const DEFAULT_REBUILD_BATCH_SIZE = 10_000;
/** The swap applies what the shadow still lacks inside its transaction; beyond this, catch up first. */
const MAX_EVENTS_APPLIED_IN_SWAP = 2000;
/** Readers wait on the swap's table locks; a swap that cannot get them this fast is retried. */
const SWAP_LOCK_TIMEOUT_MS = 2000;
const LOCK_NOT_AVAILABLE = '55P03';
const RESUBSCRIBE_DELAY_MS = 500;
const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 250;
const REPORT_EVERY_FAILURES = 40;

const combine = (outcomes: readonly BatchOutcome[]): BatchOutcome => ({
  changes: outcomes.flatMap((outcome) => outcome.changes),
  notices: outcomes.flatMap((outcome) => outcome.notices),
});

interface PositionWaiter {
  readonly position: bigint;
  resolve(reached: boolean): void;
}

/** Where a sleep leaves the function that ends it early (null while none sleeps). */
interface SleepEnd {
  end: (() => void) | null;
}

/** Sleeps up to `ms`; `sleep.end()` wakes it sooner. */
const sleepUnlessEnded = (ms: number, sleep: SleepEnd): Promise<void> =>
  new Promise((resolve) => {
    const end = (): void => {
      clearTimeout(timer);
      if (sleep.end === end) sleep.end = null;
      resolve();
    };
    const timer = setTimeout(end, ms);
    sleep.end = end;
  });

/** Like sleep, but ends early when `signal` aborts. */
const pause = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);

export class ProjectionRunner {
  private readonly checkpointName: string;
  private readonly batchSize: number;
  private readonly idlePollMs: number;
  private readonly leaseRetryMs: number;
  private readonly rebuildBatchSize: number;
  private readonly batches = new Subject<ProjectedBatch>();
  private readonly swaps = new Subject<ReadModelSwap>();
  private position = 0n;
  private running = false;
  private loop: Promise<void> | null = null;
  private watcher: Promise<void> | null = null;
  /** Ends the loop's idle sleep early. */
  private readonly wake: SleepEnd = { end: null };
  private wakeSubscription: { unsubscribe(): Promise<void> } | null = null;
  private stopping = new AbortController();
  private lastError: unknown = null;
  private rebuilding = false;
  /** Batches and swaps take turns through this chain: never two at once, whoever asks. */
  private slot: Promise<unknown> = Promise.resolve();
  private batchInFlight: Promise<number> | null = null;
  private readonly waiters = new Set<PositionWaiter>();
  private wakePending = false;
  private readonly gatherMs: number;
  /** Ends the loop's gathering pause early. */
  private readonly gathering: SleepEnd = { end: null };
  private bulkAppends = 0;
  private readonly lease: ProjectionLease;
  private readonly leading = new BehaviorSubject<boolean>(false);
  private leaseAskedAtMs = Number.NEGATIVE_INFINITY;

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
    this.rebuildBatchSize = options.rebuildBatchSize ?? DEFAULT_REBUILD_BATCH_SIZE;
    this.idlePollMs = options.idlePollMs ?? DEFAULT_IDLE_POLL_MS;
    this.leaseRetryMs = options.leaseRetryMs ?? DEFAULT_LEASE_RETRY_MS;
    this.gatherMs = options.gatherMs ?? 0;
    this.lease = options.lease ?? soleProjectionLease;
    this.leading.next(this.lease.held);
  }

  /** Whether this process applies the batches (true) or follows another's checkpoint; emits on change. */
  get leading$(): Observable<boolean> {
    return this.leading.pipe(distinctUntilChanged());
  }

  get isLeading(): boolean {
    return this.leading.value;
  }

  /** The live loop gathers events between batches (gatherMs) until `work` settles. */
  async gatherDuring<T>(work: () => Promise<T>): Promise<T> {
    this.bulkAppends += 1;
    try {
      return await work();
    } finally {
      this.bulkAppends -= 1;
      if (this.bulkAppends === 0) this.gathering.end?.();
    }
  }

  /** Something was committed elsewhere (another node's NOTIFY): read the checkpoint now. */
  nudge(): void {
    this.requestWake();
  }

  /** Every committed batch, after commit. */
  get projected$(): Observable<ProjectedBatch> {
    return this.batches.asObservable();
  }

  /** Every swap of a rebuilt model into place, after commit (see ReadModelSwap). */
  get swapped$(): Observable<ReadModelSwap> {
    return this.swaps.asObservable();
  }

  /** True while a rebuild builds its shadow. */
  get rebuildRunning(): boolean {
    return this.rebuilding;
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
    this.stopping = new AbortController();
    this.position = await readCheckpoint(this.dataSource, this.checkpointName);
    this.watcher = this.watchForAppends();
    this.loop = this.runLoop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.wake.end?.();
    this.gathering.end?.();
    await this.wakeSubscription?.unsubscribe().catch(() => undefined);
    await this.loop;
    await this.watcher;
    this.loop = null;
    this.watcher = null;
    await this.lease.release();
    this.leading.next(false);
  }

  /**
   * Resolves once everything up to `position` is in the read model (false on
   * timeout). Woken by the commit that gets there, never polled.
   */
  async waitForPosition(position: bigint, timeoutMs = 5000): Promise<boolean> {
    if (this.position >= position) return true;
    return new Promise<boolean>((resolve) => {
      const waiter: PositionWaiter = {
        position,
        resolve: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      this.waiters.add(waiter);
      this.gathering.end?.();
      this.requestWake();
    });
  }

  /** Releases the waiters the position now covers. */
  private advanceTo(position: bigint): void {
    this.position = position;
    for (const waiter of [...this.waiters]) if (waiter.position <= position) waiter.resolve(true);
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
   * Rebuilds the whole read model from the log beside the live one and swaps
   * it in; readers see the previous model until then. Returns the events projected.
   */
  rebuild(onProgress?: (position: bigint, events: number) => void): Promise<number> {
    return this.rebuildBeside({ kind: 'full' }, undefined, onProgress);
  }

  /**
   * Re-projects one scenario run's events beside the live model and swaps
   * its rows in, leaving the rest of the read model untouched. Given the
   * run's ScenarioRunStarted (every event of a run follows it), reading
   * starts there instead of at position 0.
   */
  rebuildRun(
    runId: string,
    onProgress?: (position: bigint, events: number) => void,
    runStarted?: RecordedEvent,
  ): Promise<number> {
    return this.rebuildBeside({ kind: 'run', runId }, runStarted, onProgress);
  }

  private async rebuildBeside(
    scope: RebuildScope,
    startWith: RecordedEvent | undefined,
    onProgress?: (position: bigint, events: number) => void,
  ): Promise<number> {
    if (this.rebuilding) throw new RebuildInProgressError();
    this.rebuilding = true;
    const shadow = new ShadowModel({
      store: this.store,
      dataSource: this.dataSource,
      projections: this.projections,
      scope,
      batchSize: this.rebuildBatchSize,
      pauseBetweenBatchesMs: this.options.rebuildPauseMs ?? 0,
      startWith,
    });
    try {
      await shadow.create();
      for (;;) {
        // Beside the live loop: the target is what the live model has reached (read again each round).
        await shadow.catchUpTo((await this.rebuildTarget()).bound, onProgress);
        const swapped = await this.inSlot(() => this.trySwap(shadow, scope));
        if (swapped) {
          onProgress?.(shadow.position, shadow.appliedEvents);
          return shadow.appliedEvents;
        }
      }
    } finally {
      this.rebuilding = false;
      await shadow.drop().catch(() => undefined);
    }
  }

  /**
   * In the batch slot, so the live model cannot move: bring the shadow to the
   * live checkpoint and swap it in, in one transaction. False when the shadow
   * is still too far behind, or the checkpoint moved (another process): the
   * caller catches up and tries again.
   */
  private async trySwap(shadow: ShadowModel, scope: RebuildScope): Promise<boolean> {
    const { checkpoint, bound } = await this.rebuildTarget();
    // Read before the transaction: on PGlite, awaiting another connection inside one deadlocks.
    const remaining = await shadow.remainingUpTo(bound, MAX_EVENTS_APPLIED_IN_SWAP);
    if (remaining === null) return false;
    const swapped = await this.dataSource
      .transaction(async (manager) => {
        await manager.query(`SET LOCAL lock_timeout = ${SWAP_LOCK_TIMEOUT_MS}`);
        if ((await lockCheckpoint(manager, this.checkpointName)) !== checkpoint) return false;
        await shadow.finishAndSwap(manager, remaining, bound);
        if (bound > checkpoint) await saveCheckpoint(manager, this.checkpointName, bound);
        await this.options.publish?.(manager, { kind: 'swap', position: bound });
        return true;
      })
      .catch((error: unknown) => {
        // A long reader held a table: leave it be and swap on the next round.
        if ((error as { code?: unknown } | null)?.code === LOCK_NOT_AVAILABLE) return false;
        throw error;
      });
    if (!swapped) return false;
    this.advanceTo(bound);
    this.swaps.next({ position: bound, scope, events: shadow.appliedEvents });
    return true;
  }

  /**
   * Where a rebuild swaps in: the live checkpoint. With no live loop running
   * (a CLI, a benchmark, a test) nothing else would project the rest, so the
   * rebuild goes on to the head and moves the checkpoint there.
   */
  private async rebuildTarget(): Promise<{ checkpoint: bigint; bound: bigint }> {
    const checkpoint = await readCheckpoint(this.dataSource, this.checkpointName);
    if (this.running) return { checkpoint, bound: checkpoint };
    const head = await this.store.headPosition();
    return { checkpoint, bound: head > checkpoint ? head : checkpoint };
  }

  private async runLoop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const applied = await this.applyNextBatch();
        this.lastError = null;
        failures = 0;
        if (applied === 0) await this.idle();
        else if (applied < this.batchSize) await this.gather();
      } catch (error) {
        this.lastError = error;
        // Reported once, then every ~10 s while it lasts: an outage must not flood the log.
        if (failures % REPORT_EVERY_FAILURES === 0) this.options.onError?.(error);
        // Back off from 50 to 250 ms: a store that is back is noticed within a quarter second.
        failures += 1;
        await pause(Math.min(RETRY_FIRST_MS * 2 ** (failures - 1), RETRY_MAX_MS), this.stopping.signal);
      }
    }
  }

  /** Ends early for a waiter on a position, or when the runner stops. */
  private gather(): Promise<void> {
    if (this.gatherMs <= 0 || this.bulkAppends === 0 || this.waiters.size > 0 || !this.running) {
      return Promise.resolve();
    }
    return sleepUnlessEnded(this.gatherMs, this.gathering);
  }

  /** Wakes the loop now, or (while it is busy with a batch) makes its next idle end at once. */
  private requestWake(): void {
    if (this.wake.end) this.wake.end();
    else this.wakePending = true;
  }

  private idle(): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return sleepUnlessEnded(
      this.lease.held ? this.idlePollMs : Math.min(this.idlePollMs, this.leaseRetryMs),
      this.wake,
    );
  }

  /**
   * Wakes the loop as soon as something is appended. When the subscription
   * fails (the store went away) the idle poll keeps the runner going, and the
   * subscription is opened again from the current head.
   */
  private async watchForAppends(): Promise<void> {
    while (this.running) {
      try {
        const after = await this.store.headPosition().catch(() => this.position);
        if (!this.running) return;
        // The head, not the events: the batch reads them, and reading them here too cost a seeded
        // run a second read of the whole log (1.2 s of PGlite's 6.5 s busy in a 20,000-attempt run).
        const heads = this.store.watchHead({ after });
        this.wakeSubscription = heads;
        for await (const head of heads) {
          if (!this.running) break;
          // A follower is woken by the leader's commits (nudge), not by appends it cannot project.
          if (head > this.position && this.lease.held) this.requestWake();
        }
      } catch {
        // Unavailable: retried below.
      }
      if (this.running) await pause(RESUBSCRIBE_DELAY_MS, this.stopping.signal);
    }
  }

  /** One batch at a time, whoever asks (the loop, a rebuild or a test). */
  private applyNextBatch(): Promise<number> {
    this.batchInFlight ??= this.inSlot(() => this.applyBatchNow()).finally(() => {
      this.batchInFlight = null;
    });
    return this.batchInFlight;
  }

  private inSlot<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.slot.then(work, work);
    this.slot = turn.catch(() => undefined);
    return turn;
  }

  private async applyBatchNow(): Promise<number> {
    return (await this.holdsLease()) ? this.projectBatch() : this.followBatch();
  }

  /** Asks for the lease at most every leaseRetryMs while it is not held; says whether it is held now. */
  private async holdsLease(): Promise<boolean> {
    if (!this.lease.held && Date.now() - this.leaseAskedAtMs >= this.leaseRetryMs) {
      this.leaseAskedAtMs = Date.now();
      await this.lease.tryAcquire();
    }
    this.leading.next(this.lease.held);
    return this.lease.held;
  }

  /**
   * Without the lease: the log up to the checkpoint another process stored,
   * so this process's reading of the log matches the read model it serves.
   */
  private async followBatch(): Promise<number> {
    const readFrom = this.position;
    const checkpoint = await readCheckpoint(this.dataSource, this.checkpointName);
    if (checkpoint < readFrom) {
      // Another process rebuilt the read model: follow it from there.
      this.position = checkpoint;
      return 1;
    }
    if (checkpoint === readFrom) return 0;
    const read = await this.store.readAll({ after: readFrom, maxCount: this.batchSize });
    const events = read.filter((event) => event.position <= checkpoint);
    // Everything up to the checkpoint was read unless the batch filled up below it.
    const reached = events.length < read.length || read.length < this.batchSize ? checkpoint : events.at(-1)!.position;
    this.advanceTo(reached);
    this.batches.next({ position: reached, events: events.length, changes: [], recorded: events, replaying: false });
    return Math.max(events.length, 1);
  }

  private async projectBatch(): Promise<number> {
    const readFrom = this.position;
    const events = await this.store.readAll({ after: readFrom, maxCount: this.batchSize });
    if (events.length === 0) return 0;
    const last = events[events.length - 1]!.position;
    // Read and computed before the transaction, so it holds only the writes (Projection.planBatch).
    const planned = await this.planBatch(events);
    const outcome = await this.dataSource.transaction(async (manager) => {
      if (planned && (await advanceCheckpointFrom(manager, this.checkpointName, readFrom, last))) {
        for (const batch of planned) await batch.write(manager);
        return this.published(manager, last, combine(planned.map((batch) => batch.outcome)), events);
      }
      // No plan, or the checkpoint moved since it was read: work it out inside the transaction.
      const checkpoint = await lockCheckpoint(manager, this.checkpointName);
      // The stored checkpoint went back (another process rebuilt the read model):
      // apply nothing, and re-read from there, or the events in between would be lost.
      if (checkpoint < readFrom) return { kind: 'rewind' as const, rewindTo: checkpoint };
      // Another process (or a crash-restart) may have applied part of this already.
      const fresh = events.filter((event) => event.position > checkpoint);
      const outcomes: BatchOutcome[] = [];
      for (const projection of this.projections) outcomes.push(await projection.applyBatch(manager, fresh));
      if (last > checkpoint) await saveCheckpoint(manager, this.checkpointName, last);
      return this.published(manager, last, combine(outcomes), fresh);
    });
    if (outcome.kind === 'rewind') {
      this.position = outcome.rewindTo;
      return events.length;
    }
    this.advanceTo(last);
    for (const notice of outcome.notices) this.options.onNotice?.(notice);
    this.batches.next({
      position: last,
      events: outcome.applied,
      changes: outcome.changes,
      recorded: events,
      replaying: false,
    });
    return events.length;
  }

  /** Every projection's plan for these events, or null when one of them cannot plan this batch. */
  private async planBatch(events: readonly RecordedEvent[]): Promise<PlannedBatch[] | null> {
    const planned: PlannedBatch[] = [];
    for (const projection of this.projections) {
      const plan = await projection.planBatch(this.dataSource.manager, events);
      if (!plan) return null;
      planned.push(plan);
    }
    return planned;
  }

  /** The publish hook, inside the batch's transaction; then what the batch applied. */
  private async published(
    manager: EntityManager,
    position: bigint,
    { changes, notices }: BatchOutcome,
    applied: readonly RecordedEvent[],
  ) {
    await this.options.publish?.(manager, { kind: 'batch', position, changes, recorded: applied });
    return { kind: 'applied' as const, changes, notices, applied: applied.length };
  }

  /** For /health and the live stream's lag marker. */
  async lag(): Promise<{ head: bigint; projected: bigint }> {
    return { head: await this.store.headPosition(), projected: this.position };
  }
}
