/**
 * Seeded scenario runs: accepted at once, executed in the background one at a
 * time, reported from the log and the read model.
 *
 * - A request is validated (size caps included), recorded in the log's run
 *   queue (ScenarioRunRequested) and answered; nothing is generated inside the
 *   request. At most RUN_QUEUE_MAX runs are queued or running in a process;
 *   beyond that a request is refused (RunQueueFullError → 429).
 * - The executor streams the plan (run-executor.ts), so memory does not grow
 *   with the run's size.
 * - On start, a process resumes every request of the queue that has not
 *   finished: a queued run starts, a run stopped midway appends only what is
 *   missing. Re-posting a run that is in the log but incomplete (or failed)
 *   resumes it as well, unless another generator version started it
 *   (OtherGeneratorVersionError → 409: this build would append its own events
 *   after the other's).
 * - A run's state comes from the log when this process does not hold it:
 *   its run stream (started, completed), its chunk streams (how many
 *   attempts), the queue stream (queued, failed and why).
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/environment';
import type { EventStore, JsonObject } from '../../event-store/event-store.port';
import type { ProjectionRunner } from '../../read-model/projection-runner';
import { ConflictQueries } from '../../reservations/application/conflict-queries';
import { EVENT_STORE, PROJECTION_RUNNER } from '../../reservations/application/tokens';
import {
  canonicalJson,
  deterministicUuid,
  GENERATOR_VERSION,
  otherGeneratorMessage,
  parseRunParameters,
  planRun,
  runClocks,
  runIdFor,
  runStreamId,
  totalAttempts,
  RUN_QUEUE_STREAM,
  SCENARIO_RUN_COMPLETED,
  SCENARIO_RUN_STARTED,
  type RunParameters,
  type RunRequest,
  type ScenarioRunCompleted,
  type ScenarioRunFinished,
  type ScenarioRunRequested,
  type ScenarioRunStarted,
} from '../domain';
import { executePlan, type ExecutionOptions } from './run-executor';
import type { RunJob } from './run-job';
import { attemptsInLog, RunQueueIndex } from './run-log';

export class RunIdConflictError extends Error {
  override readonly name = 'RunIdConflictError';
}

export class RunQueueFullError extends Error {
  override readonly name = 'RunQueueFullError';
  constructor(
    readonly limit: number,
    /** A rough wait: the runs ahead, at a few seconds each. */
    readonly retryAfterS: number,
  ) {
    super(`the run queue is full (${limit} runs queued or running, RUN_QUEUE_MAX); retry in about ${retryAfterS} s`);
  }
}

/** A run another version of the generator started: this build would append its own events after the other's. */
export class OtherGeneratorVersionError extends Error {
  override readonly name = 'OtherGeneratorVersionError';
}

/** Why a run another generator version started cannot be finished here; null when it can. */
const otherGeneratorReason = (job: RunJob): string | null =>
  job.generatorVersion === null || job.generatorVersion === GENERATOR_VERSION
    ? null
    : otherGeneratorMessage(job.runId, job.generatorVersion);

const KEPT_RUNS = 200;
/** How long shutdown waits for the append in flight before the store closes under it. */
const STOP_WAIT_MS = 10_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
// Run events are plain JSON by construction (numbers, strings, booleans, nested objects).
const asJson = (data: object): JsonObject => data as unknown as JsonObject;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Test seam: what the executor reports while it appends (see ExecutionOptions.afterAttemptChunk). */
export interface RunExecutionHooks {
  afterAttemptChunk?(runId: string, chunksAppended: number, appendedAttempts: number): void;
}

@Injectable()
export class SimulationRunsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SimulationRunsService.name);
  /** Runs this process knows (its own, and ones read from the log), newest kept. */
  private readonly jobs = new Map<string, RunJob>();
  private readonly waiting: RunJob[] = [];
  private current: RunJob | null = null;
  /** Requests holding a queue slot while their ScenarioRunRequested is being appended. */
  private recording = 0;
  private worker: Promise<void> | null = null;
  private stopping = false;
  private readonly queueIndex = new RunQueueIndex();
  /** Tests only. */
  executionHooks: RunExecutionHooks = {};

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly conflicts: ConflictQueries,
  ) {}

  /** Resumes what the log's queue holds unfinished (queued before a restart, or stopped midway). */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SIMULATION_ENABLED) return;
    try {
      await this.resumeOpenRequests();
    } catch (error) {
      // The app serves without its queue rather than not at all; a POST or /resume retries a run.
      this.logger.error(`could not resume the queued runs: ${messageOf(error)}`);
    }
  }

  private async resumeOpenRequests(): Promise<void> {
    await this.queueIndex.catchUp(this.store);
    for (const record of this.queueIndex.open()) {
      const job = await this.fromLog(record.runId);
      if (!job) continue;
      if (job.status === 'completed') {
        // Completed, but the process stopped before it took the request out of the queue.
        await this.finish(job, 'completed', null);
        continue;
      }
      // A run all in the log but not yet projected is resumed whatever the cap: it appends nothing new.
      if (job.phase !== 'projecting' && job.totalAttempts > this.config.RUN_MAX_ATTEMPTS) {
        // Accepted under a larger cap than this process has: say so instead of running it.
        await this.finish(
          job,
          'failed',
          `the run has ${job.totalAttempts} attempts, above RUN_MAX_ATTEMPTS=${this.config.RUN_MAX_ATTEMPTS} of this process`,
        );
        continue;
      }
      const otherGenerator = otherGeneratorReason(job);
      if (otherGenerator !== null) {
        // All in the log, it needs only the projection, which runs anyway; else it cannot be finished here.
        if (job.phase === 'projecting') await this.finish(job, 'completed', null);
        else await this.finish(job, 'failed', otherGenerator);
        continue;
      }
      this.logger.log(`resuming run ${job.runId} (${job.appendedAttempts}/${job.totalAttempts} attempts in the log)`);
      this.enqueue(job);
    }
  }

  /** Stops between two appends; the run stays open in the queue and resumes on the next start. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (!this.worker) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_WAIT_MS);
    });
    await Promise.race([this.worker, gaveUp]);
    clearTimeout(timer);
  }

  /**
   * Validates (RunParametersError), then records and queues the run, or returns the existing one
   * with that id (resuming it if it is incomplete and not executing here). Never generates the run.
   */
  async start(request: RunRequest, givenRunId?: string): Promise<RunJob> {
    const parameters = parseRunParameters(request, {
      conflictWindowMs: this.config.CONFLICT_WINDOW_MS,
      servers: this.config.BOOKING_SERVERS,
      maxAttempts: this.config.RUN_MAX_ATTEMPTS,
    });
    const runId = givenRunId ?? runIdFor(parameters);
    const known = await this.get(runId);
    if (known) {
      if (canonicalJson(known.parameters) !== canonicalJson(parameters)) {
        throw new RunIdConflictError(`run ${runId} already exists with other parameters`);
      }
      return this.resumeJob(known);
    }
    const job = this.newJob(runId, parameters, 'queued', new Date());
    return this.request(job);
  }

  /** Resumes an incomplete or failed run from the log; null when no such run is known. */
  async resume(runId: string): Promise<RunJob | null> {
    const known = await this.get(runId);
    return known ? this.resumeJob(known) : null;
  }

  async get(runId: string): Promise<RunJob | null> {
    const held = this.jobs.get(runId);
    if (held && (held.status === 'queued' || held.status === 'running' || held.status === 'completed')) return held;
    return this.fromLog(runId);
  }

  list(): RunJob[] {
    return [...this.jobs.values()].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  }

  /** Resolves when every queued run has finished (tests, benchmarks). */
  async settled(): Promise<void> {
    while (this.worker) await this.worker;
  }

  private async resumeJob(job: RunJob): Promise<RunJob> {
    if (job.status !== 'interrupted' && job.status !== 'failed') return job;
    const otherGenerator = otherGeneratorReason(job);
    if (otherGenerator !== null && job.phase === 'projecting') {
      // All in the log (its wait for the read model gave up): nothing to re-send, the projection runs anyway.
      await this.finish(job, 'completed', null);
      return (await this.fromLog(job.runId)) ?? job;
    }
    if (otherGenerator !== null) throw new OtherGeneratorVersionError(otherGenerator);
    const resumed = this.newJob(job.runId, job.parameters, 'queued', job.startedAt, job.generatorVersion);
    resumed.appendedAttempts = job.appendedAttempts;
    return this.request(resumed);
  }

  /** Takes a queue slot, records the request in the log, then lets the worker have it. */
  private async request(job: RunJob): Promise<RunJob> {
    // The same run asked twice at once: the second request joins the first (checked before any await).
    const underway = this.jobs.get(job.runId);
    if (underway && (underway.status === 'queued' || underway.status === 'running')) return underway;
    this.reserveSlot();
    this.recording += 1;
    this.remember(job);
    try {
      await this.queueIndex.catchUp(this.store);
      const ordinal = this.queueIndex.get(job.runId)?.requests ?? 0;
      const requested: ScenarioRunRequested = {
        type: 'ScenarioRunRequested',
        data: { runId: job.runId, parameters: job.parameters },
      };
      await this.store.append(
        RUN_QUEUE_STREAM,
        [
          {
            id: deterministicUuid(job.runId, 'requested', ordinal),
            type: requested.type,
            data: asJson(requested.data),
          },
        ],
        { expectedRevision: 'any' },
      );
    } catch (error) {
      this.jobs.delete(job.runId);
      throw error;
    } finally {
      this.recording -= 1;
    }
    // Only once the request is in the log may the run start (a crash then leaves it resumable).
    this.waiting.push(job);
    this.kick();
    return job;
  }

  private reserveSlot(): void {
    const active = this.waiting.length + this.recording + (this.current ? 1 : 0);
    if (active >= this.config.RUN_QUEUE_MAX) {
      throw new RunQueueFullError(this.config.RUN_QUEUE_MAX, Math.max(5, 5 * active));
    }
  }

  /** A request read back from the log at start: already recorded, it only needs the worker. */
  private enqueue(job: RunJob): void {
    const queued = this.newJob(job.runId, job.parameters, 'queued', job.startedAt, job.generatorVersion);
    queued.appendedAttempts = job.appendedAttempts;
    this.remember(queued);
    this.waiting.push(queued);
    this.kick();
  }

  private kick(): void {
    if (this.worker || this.stopping) return;
    this.worker = (async () => {
      // One run at a time: runs share the projection, and interleaving them only slows both.
      for (let job = this.waiting.shift(); job && !this.stopping; job = this.waiting.shift()) {
        this.current = job;
        await this.execute(job);
        this.current = null;
      }
      this.worker = null;
    })();
  }

  private async execute(job: RunJob): Promise<void> {
    const started = Date.now();
    job.status = 'running';
    job.phase = 'appending';
    const options: ExecutionOptions = {
      onProgress: (appended) => {
        job.appendedAttempts = appended;
        job.progress = (0.5 * appended) / Math.max(1, job.totalAttempts);
      },
      shouldStop: () => this.stopping,
      afterAttemptChunk: (chunks, appended) => this.executionHooks.afterAttemptChunk?.(job.runId, chunks, appended),
      onStarted: (generatorVersion) => {
        job.generatorVersion = generatorVersion;
      },
    };
    try {
      // The run's steps go in one after another: the live loop projects them in gathered batches.
      const result = await this.runner.gatherDuring(() =>
        executePlan(this.store, planRun(job.runId, job.parameters), options),
      );
      if (result.status === 'stopped') {
        job.status = 'interrupted';
        job.error = 'the process stopped before the run completed; it resumes on the next start';
        return;
      }
      job.appendedAttempts = result.outcome.attempts;
      job.appendMs = Date.now() - started;
      job.phase = 'projecting';
      const projectingSince = Date.now();
      await this.waitForProjection(job, result.startedPosition, result.completedPosition);
      job.projectionMs = Date.now() - projectingSince;
      job.summary = result.outcome.summary;
      job.stats = await this.conflicts.stats(job.runId);
      job.progress = 1;
      await this.finish(job, 'completed', null);
      this.logger.log(
        `run ${job.runId} (${job.parameters.scenario}, seed ${job.parameters.seed}): ${job.totalAttempts} attempts` +
          `${result.resumedAfterChunks > 0 ? ` (resumed after ${result.resumedAfterChunks} chunks)` : ''}, ` +
          `${job.stats.conflicts.inversion} inversions, ${Date.now() - started} ms`,
      );
    } catch (error) {
      if (this.stopping) {
        job.status = 'interrupted';
        job.error = `the process stopped before the run completed (${messageOf(error)}); it resumes on the next start`;
        return;
      }
      await this.finish(job, 'failed', messageOf(error)).catch((recordError: unknown) => {
        this.logger.error(`run ${job.runId}: could not record its failure: ${messageOf(recordError)}`);
      });
      this.logger.error(`run ${job.runId} failed: ${job.error}`);
    } finally {
      job.finishedAt = job.status === 'interrupted' ? null : new Date();
      job.phase = job.status === 'interrupted' ? 'appending' : 'done';
    }
  }

  /** Marks the job and takes its request out of the log's queue. */
  private async finish(job: RunJob, outcome: 'completed' | 'failed', reason: string | null): Promise<void> {
    job.status = outcome;
    job.error = reason;
    job.phase = 'done';
    job.finishedAt = new Date();
    await this.queueIndex.catchUp(this.store);
    const ordinal = Math.max(0, (this.queueIndex.get(job.runId)?.requests ?? 1) - 1);
    const finished: ScenarioRunFinished = { type: 'ScenarioRunFinished', data: { runId: job.runId, outcome, reason } };
    await this.store.append(
      RUN_QUEUE_STREAM,
      [{ id: deterministicUuid(job.runId, 'finished', ordinal), type: finished.type, data: asJson(finished.data) }],
      { expectedRevision: 'any' },
    );
  }

  private async waitForProjection(job: RunJob, from: bigint, to: bigint): Promise<void> {
    // Generous: the projection handles a few thousand events per second on the embedded store.
    const deadline = Date.now() + 120_000 + job.totalAttempts * 5;
    const span = Number(to - from) || 1;
    while (this.runner.projectedPosition < to) {
      if (Date.now() > deadline) throw new Error('the read model did not catch up with the run in time');
      if (this.stopping) throw new Error('stopping');
      const done = Math.max(0, Number(this.runner.projectedPosition - from));
      job.progress = 0.5 + 0.5 * Math.min(1, done / span);
      await sleep(50);
    }
  }

  private newJob(
    runId: string,
    parameters: RunParameters,
    status: RunJob['status'],
    startedAt: Date,
    generatorVersion: number | null = null,
  ): RunJob {
    return {
      runId,
      parameters,
      generatorVersion,
      clocks: runClocks(parameters),
      status,
      phase: status === 'queued' ? 'queued' : 'done',
      totalAttempts: totalAttempts(parameters),
      appendedAttempts: 0,
      progress: 0,
      startedAt,
      finishedAt: null,
      appendMs: null,
      projectionMs: null,
      error: null,
      summary: null,
      stats: null,
    };
  }

  /**
   * A run this process does not hold (started before this process, or by another one): its
   * parameters and summary are in its run stream, its attempts in its chunk streams, a request
   * not started yet (or a failure) in the queue stream.
   */
  private async fromLog(runId: string): Promise<RunJob | null> {
    const events = await this.store.readStream(runStreamId(runId));
    const started = events.find((event) => event.type === SCENARIO_RUN_STARTED);
    await this.queueIndex.catchUp(this.store);
    const queued = this.queueIndex.get(runId);
    if (!started) {
      if (!queued) return null;
      // Requested, never started: waiting in some process's queue, or failed before it started.
      const job = this.newJob(runId, queued.parameters, queued.open ? 'queued' : 'failed', queued.requestedAt);
      if (!queued.open) this.failedFrom(job, queued.finished);
      return job;
    }
    const {
      runId: _runId,
      generatorVersion,
      totalAttempts: total,
      clocks: _clocks,
      ...parameters
    } = started.data as unknown as ScenarioRunStarted['data'];
    const completed = events.find((event) => event.type === SCENARIO_RUN_COMPLETED);
    const job = this.newJob(
      runId,
      parameters,
      completed ? 'completed' : 'interrupted',
      started.createdAt,
      generatorVersion,
    );
    if (completed && this.runner.projectedPosition < completed.position) {
      // All in the log, not all in the read model yet: figures read now would be partial. Not kept:
      // asked again, it reads again.
      job.appendedAttempts = total;
      if (queued && !queued.open && queued.finished?.outcome === 'failed') {
        // Its execution gave up waiting for the read model: say why, and let it be resumed.
        this.failedFrom(job, queued.finished);
        return job;
      }
      // Its process stopped before the projection caught up, or this one is catching up; at start
      // it is resumed, which re-sends nothing new and waits for the projection.
      job.status = 'running';
      job.phase = 'projecting';
      job.progress = 0.5;
      return job;
    }
    if (completed) {
      job.summary = (completed.data as unknown as ScenarioRunCompleted['data']).summary;
      job.appendedAttempts = total;
      job.progress = 1;
      job.finishedAt = completed.createdAt;
      job.stats = await this.conflicts.stats(runId);
      this.remember(job);
      return job;
    }
    job.appendedAttempts = await attemptsInLog(this.store, runId);
    job.progress = (0.5 * job.appendedAttempts) / Math.max(1, total);
    const otherGenerator = otherGeneratorReason(job);
    if (otherGenerator !== null) {
      job.status = 'failed';
      job.error = otherGenerator;
    } else if (queued && !queued.open) this.failedFrom(job, queued.finished);
    else {
      job.error = queued?.open
        ? 'started and not completed, not executing in this process (it resumes when its process starts again)'
        : 'the run stopped before it completed; POST it again or POST /api/simulation/runs/:id/resume to finish it';
    }
    return job;
  }

  private failedFrom(job: RunJob, finished: ScenarioRunFinished['data'] | null): void {
    job.status = 'failed';
    job.error = finished?.reason ?? 'failed';
  }

  private remember(job: RunJob): void {
    this.jobs.delete(job.runId);
    this.jobs.set(job.runId, job);
    for (const [runId, kept] of this.jobs) {
      if (this.jobs.size <= KEPT_RUNS) break;
      if (kept.status !== 'running' && kept.status !== 'queued') this.jobs.delete(runId);
    }
  }
}
