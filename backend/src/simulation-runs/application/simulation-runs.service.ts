/**
 * Executes seeded scenario runs in the background, one at a time, and
 * reports them: the run's own summary and the read model's counts for it.
 * A run already in the log (same parameters → same run id) is not appended
 * twice: asking for it again returns it, rebuilt from the log if need be.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/environment';
import type { EventStore } from '../../event-store/event-store.port';
import type { ProjectionRunner } from '../../read-model/projection-runner';
import { ConflictQueries } from '../../reservations/application/conflict-queries';
import { EVENT_STORE, PROJECTION_RUNNER } from '../../reservations/application/tokens';
import {
  canonicalJson,
  parseRunParameters,
  planRun,
  runIdFor,
  runStreamId,
  totalAttempts,
  SCENARIO_RUN_COMPLETED,
  SCENARIO_RUN_STARTED,
  type RunRequest,
  type ScenarioRunCompleted,
  type ScenarioRunStarted,
} from '../domain';
import { executePlan } from './run-executor';
import type { RunJob } from './run-job';

export class RunIdConflictError extends Error {
  override readonly name = 'RunIdConflictError';
}

const KEPT_RUNS = 200;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

@Injectable()
export class SimulationRunsService {
  private readonly logger = new Logger(SimulationRunsService.name);
  private readonly jobs = new Map<string, RunJob>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly conflicts: ConflictQueries,
  ) {}

  /** Validates (RunParametersError), then starts the run or returns the existing one with that id. */
  async start(request: RunRequest, givenRunId?: string): Promise<RunJob> {
    const parameters = parseRunParameters(request, {
      conflictWindowMs: this.config.CONFLICT_WINDOW_MS,
      servers: this.config.BOOKING_SERVERS,
    });
    const runId = givenRunId ?? runIdFor(parameters);
    const known = this.jobs.get(runId) ?? (await this.fromLog(runId));
    if (known) {
      if (canonicalJson(known.parameters) !== canonicalJson(parameters)) {
        throw new RunIdConflictError(`run ${runId} already exists with other parameters`);
      }
      return known;
    }
    const plan = planRun(runId, parameters);
    const job: RunJob = {
      runId,
      parameters,
      clocks: plan.clocks,
      status: 'running',
      phase: 'queued',
      totalAttempts: totalAttempts(parameters),
      appendedAttempts: 0,
      progress: 0,
      startedAt: new Date(),
      finishedAt: null,
      appendMs: null,
      projectionMs: null,
      error: null,
      summary: null,
      stats: null,
    };
    this.remember(job);
    // One run at a time: runs share the projection, and interleaving them only slows both.
    this.queue = this.queue.then(() => this.execute(job, plan));
    return job;
  }

  async get(runId: string): Promise<RunJob | null> {
    return this.jobs.get(runId) ?? (await this.fromLog(runId));
  }

  list(): RunJob[] {
    return [...this.jobs.values()].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  }

  /** Resolves when every queued run has finished (tests, benchmarks). */
  async settled(): Promise<void> {
    await this.queue;
  }

  private async execute(job: RunJob, plan: ReturnType<typeof planRun>): Promise<void> {
    const started = Date.now();
    try {
      job.phase = 'appending';
      const { startedPosition, completedPosition } = await executePlan(this.store, plan, (appended) => {
        job.appendedAttempts = appended;
        job.progress = (0.5 * appended) / Math.max(1, job.totalAttempts);
      });
      job.appendMs = Date.now() - started;
      job.phase = 'projecting';
      const projectingSince = Date.now();
      await this.waitForProjection(job, startedPosition, completedPosition);
      job.projectionMs = Date.now() - projectingSince;
      job.summary = plan.summary;
      job.stats = await this.conflicts.stats(job.runId);
      job.status = 'completed';
      job.progress = 1;
      this.logger.log(
        `run ${job.runId} (${job.parameters.scenario}, seed ${job.parameters.seed}): ${job.totalAttempts} attempts, ` +
          `${job.stats.conflicts.inversion} inversions, ${Date.now() - started} ms`,
      );
    } catch (error) {
      job.status = 'failed';
      job.error = error instanceof Error ? error.message : String(error);
      this.logger.error(`run ${job.runId} failed: ${job.error}`);
    } finally {
      job.phase = 'done';
      job.finishedAt = new Date();
    }
  }

  private async waitForProjection(job: RunJob, from: bigint, to: bigint): Promise<void> {
    // Generous: the projection handles a few thousand events per second on the embedded store.
    const deadline = Date.now() + 120_000 + job.totalAttempts * 5;
    const span = Number(to - from) || 1;
    while (this.runner.projectedPosition < to) {
      if (Date.now() > deadline) throw new Error('the read model did not catch up with the run in time');
      const done = Math.max(0, Number(this.runner.projectedPosition - from));
      job.progress = 0.5 + 0.5 * Math.min(1, done / span);
      await sleep(50);
    }
  }

  /** A run started before this process (or by another one): its parameters and summary are in its run stream. */
  private async fromLog(runId: string): Promise<RunJob | null> {
    const events = await this.store.readStream(runStreamId(runId));
    const started = events.find((event) => event.type === SCENARIO_RUN_STARTED);
    if (!started) return null;
    const {
      runId: _runId,
      generatorVersion: _version,
      totalAttempts: total,
      clocks,
      ...parameters
    } = started.data as unknown as ScenarioRunStarted['data'];
    const completed = events.find((event) => event.type === SCENARIO_RUN_COMPLETED);
    const summary = completed ? (completed.data as unknown as ScenarioRunCompleted['data']).summary : null;
    const job: RunJob = {
      runId,
      parameters,
      clocks,
      status: completed ? 'completed' : 'interrupted',
      phase: 'done',
      totalAttempts: total,
      appendedAttempts: completed ? total : 0,
      progress: completed ? 1 : 0,
      startedAt: started.createdAt,
      finishedAt: completed?.createdAt ?? null,
      appendMs: null,
      projectionMs: null,
      error: completed ? null : 'the run stopped before it completed (process restarted?)',
      summary,
      stats: completed ? await this.conflicts.stats(runId) : null,
    };
    this.remember(job);
    return job;
  }

  private remember(job: RunJob): void {
    this.jobs.set(job.runId, job);
    for (const [runId, kept] of this.jobs) {
      if (this.jobs.size <= KEPT_RUNS) break;
      if (kept.status !== 'running') this.jobs.delete(runId);
    }
  }
}
