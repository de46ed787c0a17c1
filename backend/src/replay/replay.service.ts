import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import type { ProjectionRunner } from '../read-model/projection-runner';
import { EVENT_STORE, PROJECTION_RUNNER, READ_MODEL_DATA_SOURCE } from '../reservations/application/tokens';
import { runStreamId } from '../simulation-runs/domain';
import type { ReplayJob } from './replay-job';
import { REPLAY_PROGRESS_EVERY_MS, ReplayJobTable } from './replay-job-table';
import type { DataSource } from 'typeorm';
import { CLUSTER_SETTINGS, type ClusterSettings } from '../cluster/cluster-settings';

const KEPT_JOBS = 50;

export class UnknownRunError extends Error {
  override readonly name = 'UnknownRunError';
  constructor(readonly runId: string) {
    super(`run ${runId} is not in the log`);
  }
}

/**
 * Rebuilds the read model from the log, in the background, with progress.
 * The rebuild runs beside the live model and swaps in when caught up, so the
 * live projection and settlement never stop. One rebuild at a time: a request
 * while one runs is answered with that job (not queued).
 */
@Injectable()
export class ReplayService {
  private readonly logger = new Logger(ReplayService.name);
  private readonly jobs = new Map<string, ReplayJob>();
  private active: Promise<ReplayJob> | null = null;
  private finished: Promise<void> = Promise.resolve();

  private readonly table: ReplayJobTable;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(READ_MODEL_DATA_SOURCE) dataSource: DataSource,
    @Inject(CLUSTER_SETTINGS) cluster: ClusterSettings,
  ) {
    this.table = new ReplayJobTable(dataSource, cluster.nodeName);
  }

  /** The running job if there is one; else starts one (UnknownRunError for a run not in the log). */
  start(runId: string | null): Promise<ReplayJob> {
    this.active ??= this.launch(runId).catch((error: unknown) => {
      this.active = null;
      throw error;
    });
    return this.active;
  }

  /** A job of this process, or one any node started (from the read model's database). */
  async get(id: string): Promise<ReplayJob | undefined> {
    return this.jobs.get(id) ?? (await this.table.load(id));
  }

  /** Resolves when the running job (if any) has finished (tests, CLI). */
  async settled(): Promise<void> {
    await this.active?.catch(() => undefined);
    await this.finished;
  }

  private async launch(runId: string | null): Promise<ReplayJob> {
    // One indexed read of the run's stream: an unknown run costs no scan of the log.
    const [started] = runId ? await this.store.readStream(runStreamId(runId), { maxCount: 1 }) : [];
    if (runId && !started) throw new UnknownRunError(runId);
    const [first] = started ? [started] : await this.store.readAll({ maxCount: 1 });
    const job: ReplayJob = {
      id: randomUUID(),
      runId,
      status: 'running',
      processedEvents: 0,
      position: 0n,
      firstPosition: first ? first.position - 1n : 0n,
      headPosition: this.runner.projectedPosition,
      startedAt: new Date(),
      finishedAt: null,
      error: null,
    };
    this.remember(job);
    await this.table.save(job);
    this.finished = this.run(job, started).finally(() => {
      this.active = null;
    });
    return job;
  }

  private async run(job: ReplayJob, runStarted: RecordedEvent | undefined): Promise<void> {
    // Other nodes read the progress from the table: written every half second while it runs.
    const report = setInterval(() => void this.persist(job), REPLAY_PROGRESS_EVERY_MS);
    const onProgress = (position: bigint, events: number) => {
      job.position = position;
      job.processedEvents = events;
      // The rebuild catches up with the live model, which keeps moving.
      if (this.runner.projectedPosition > job.headPosition) job.headPosition = this.runner.projectedPosition;
    };
    const started = Date.now();
    try {
      // A run's events all follow its ScenarioRunStarted: the scan starts there, not at 0.
      job.processedEvents = job.runId
        ? await this.runner.rebuildRun(job.runId, onProgress, runStarted)
        : await this.runner.rebuild(onProgress);
      job.status = 'completed';
      this.logger.log(
        `replay ${job.id}${job.runId ? ` of run ${job.runId}` : ''}: ${job.processedEvents} events in ${Date.now() - started} ms`,
      );
    } catch (error) {
      job.status = 'failed';
      job.error = error instanceof Error ? error.message : String(error);
      this.logger.error(`replay ${job.id} failed: ${job.error}`);
    } finally {
      clearInterval(report);
      job.finishedAt = new Date();
      await this.persist(job);
    }
  }

  private async persist(job: ReplayJob): Promise<void> {
    await this.table
      .save(job)
      .catch((error: unknown) =>
        this.logger.warn(
          `replay ${job.id}: progress not saved: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }

  private remember(job: ReplayJob): void {
    this.jobs.set(job.id, job);
    for (const id of this.jobs.keys()) {
      if (this.jobs.size <= KEPT_JOBS) break;
      if (this.jobs.get(id)?.status !== 'running') this.jobs.delete(id);
    }
  }
}
