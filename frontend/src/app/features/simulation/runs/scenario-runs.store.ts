import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { ApiError, apiErrorOf } from '../../../core/api/api-error';
import {
  ORDERING_STRATEGIES,
  type OrderingStrategy,
  type ScenarioRun,
  type StartScenarioRunRequest,
} from '../../../core/api/api-types';
import { LabApi } from '../../../core/api/lab-api.service';
import { RUN_FIELDS } from './run-form';

const RUN_POLL_MS = 400;

export interface StrategyReportRow {
  strategy: OrderingStrategy;
  /** 0..1 of contended seats given to the truly first customer. */
  accuracy: number;
  correctSeats: number;
  wrongSeats: number;
  wrongPer10kAttempts: number;
}

/** Queued or running: the console keeps following it. */
const isUnderway = (status: ScenarioRun['status'] | undefined): boolean => status === 'queued' || status === 'running';

/** Starts seeded scenario runs and follows the current one until it stops running. */
@Injectable()
export class ScenarioRunsStore {
  private readonly api = inject(LabApi);

  readonly run = signal<ScenarioRun | null>(null);
  /** The backend's runs, newest first, each openable for its conflicts and timelines. */
  readonly recent = signal<ScenarioRun[]>([]);
  readonly error = signal<ApiError | null>(null);
  readonly starting = signal(false);
  readonly running = computed(() => isUnderway(this.run()?.status));

  readonly reportRows = computed<StrategyReportRow[]>(() => {
    const report = this.run()?.report;
    if (!report) return [];
    return ORDERING_STRATEGIES.map((strategy) => ({
      strategy,
      accuracy: report.accuracy[strategy],
      correctSeats: report.correct_seats[strategy],
      wrongSeats: report.wrong_seats[strategy],
      wrongPer10kAttempts: report.wrong_seats_per_10k_attempts[strategy],
    }));
  });

  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      clearTimeout(this.pollTimer);
    });
  }

  /** Shows the newest run this backend knows, so coming back to the page keeps the last report. */
  async loadLatest(): Promise<void> {
    try {
      const { items } = await this.api.scenarioRuns();
      this.recent.set(items);
      const latest = items.at(0) ?? null;
      if (latest && !this.run()) {
        this.run.set(latest);
        this.follow();
      }
    } catch (error) {
      this.error.set(apiErrorOf(error, RUN_FIELDS));
    }
  }

  async start(request: StartScenarioRunRequest): Promise<void> {
    clearTimeout(this.pollTimer);
    this.starting.set(true);
    this.error.set(null);
    try {
      this.run.set(await this.api.startScenarioRun(request));
      this.follow();
    } catch (error) {
      this.error.set(apiErrorOf(error, RUN_FIELDS));
    } finally {
      this.starting.set(false);
    }
  }

  private follow(): void {
    const current = this.run();
    if (this.destroyed || !current || !isUnderway(current.status)) return;
    this.pollTimer = setTimeout(async () => {
      try {
        const run = await this.api.scenarioRun(current.id);
        this.run.set(run);
        this.error.set(null);
        if (!isUnderway(run.status)) void this.loadLatest();
      } catch (error) {
        // Stop following: a run that vanished (404) or a backend outage is shown, not retried forever.
        this.error.set(apiErrorOf(error, RUN_FIELDS));
        return;
      }
      this.follow();
    }, RUN_POLL_MS);
  }
}
