import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../event-store/event-store.port';
import type { ProjectionRunner } from '../read-model/projection-runner';
import { SettlementProcess } from '../reservations/application/settlement-process';
import { EVENT_STORE, PROJECTION_RUNNER } from '../reservations/application/tokens';
import type { ReplayJob } from './replay-job';

const KEPT_JOBS = 50;

/**
 * Rebuilds the read model from the log, in the background, with progress.
 * The resolution saga stays quiet meanwhile: the resolutions of the past are
 * already in the log, and a half-built read model must not trigger new ones.
 */
@Injectable()
export class ReplayService {
  private readonly logger = new Logger(ReplayService.name);
  private readonly jobs = new Map<string, ReplayJob>();
  private current: Promise<void> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    private readonly settlement: SettlementProcess,
  ) {}

  async start(runId: string | null): Promise<ReplayJob> {
    const [first] = await this.store.readAll({ maxCount: 1 });
    const job: ReplayJob = {
      id: randomUUID(),
      runId,
      status: 'running',
      processedEvents: 0,
      position: 0n,
      firstPosition: first ? first.position - 1n : 0n,
      headPosition: await this.store.headPosition(),
      startedAt: new Date(),
      finishedAt: null,
      error: null,
    };
    this.remember(job);
    // Replays queue behind each other: two rebuilds interleaving would corrupt the model.
    this.current = this.current.then(() => this.run(job));
    return job;
  }

  get(id: string): ReplayJob | undefined {
    return this.jobs.get(id);
  }

  /** Resolves when the job has finished (tests, CLI). */
  async settled(): Promise<void> {
    await this.current;
  }

  private async run(job: ReplayJob): Promise<void> {
    const onProgress = (position: bigint, events: number) => {
      job.position = position;
      job.processedEvents = events;
    };
    const started = Date.now();
    try {
      await this.settlement.whileSuspended(() =>
        job.runId ? this.runner.rebuildRun(job.runId, onProgress) : this.runner.rebuild(onProgress),
      );
      job.status = 'completed';
      this.logger.log(
        `replay ${job.id}${job.runId ? ` of run ${job.runId}` : ''}: ${job.processedEvents} events in ${Date.now() - started} ms`,
      );
    } catch (error) {
      job.status = 'failed';
      job.error = error instanceof Error ? error.message : String(error);
      this.logger.error(`replay ${job.id} failed: ${job.error}`);
    } finally {
      job.finishedAt = new Date();
    }
  }

  private remember(job: ReplayJob): void {
    this.jobs.set(job.id, job);
    for (const id of this.jobs.keys()) {
      if (this.jobs.size <= KEPT_JOBS) break;
      if (this.jobs.get(id)?.status !== 'running') this.jobs.delete(id);
    }
  }
}
