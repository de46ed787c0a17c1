import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { ApiError, apiErrorOf } from '../../core/api/api-error';
import type { ClockChange, ReplayJob, Scenario, ServerClockConfig } from '../../core/api/api-types';
import { LabApi } from '../../core/api/lab-api.service';
import { LiveUpdates } from '../../core/live/live-updates.service';
import { reloadWhenChanged } from '../../core/live/reload-when-changed';

const REPLAY_POLL_MS = 300;

@Injectable()
export class SimulationStore {
  private readonly api = inject(LabApi);
  private readonly live = inject(LiveUpdates);

  readonly clocks = signal<ServerClockConfig[]>([]);
  readonly clocksError = signal<ApiError | null>(null);
  readonly savingServer = signal<string | null>(null);
  readonly saveErrors = signal<Record<string, ApiError>>({});

  readonly scenarios = signal<Scenario[]>([]);
  readonly scenariosError = signal<ApiError | null>(null);
  readonly applying = signal(false);
  readonly lastApplied = signal<string | null>(null);

  readonly replay = signal<ReplayJob | null>(null);
  readonly replayError = signal<ApiError | null>(null);
  private replayTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    reloadWhenChanged(['clock'], () => void this.loadClocks());
    void this.loadScenarios();
    inject(DestroyRef).onDestroy(() => clearTimeout(this.replayTimer));
  }

  async loadClocks(): Promise<void> {
    // An edit in progress must not be overwritten by a refresh.
    if (this.savingServer()) return;
    try {
      this.clocks.set(await this.api.serverClocks());
      this.clocksError.set(null);
    } catch (error) {
      this.clocksError.set(apiErrorOf(error));
    }
  }

  async loadScenarios(): Promise<void> {
    try {
      this.scenarios.set(await this.api.scenarios());
      this.scenariosError.set(null);
    } catch (error) {
      this.scenariosError.set(apiErrorOf(error));
    }
  }

  async saveClock(serverId: string, change: ClockChange): Promise<void> {
    this.savingServer.set(serverId);
    try {
      await this.api.changeServerClock(serverId, change);
      this.saveErrors.update(({ [serverId]: _dropped, ...rest }) => rest);
    } catch (error) {
      this.saveErrors.update((errors) => ({ ...errors, [serverId]: apiErrorOf(error) }));
    } finally {
      this.savingServer.set(null);
    }
    await this.loadClocks();
    this.live.refreshAll();
  }

  async applyScenario(name: string, seed: number | undefined): Promise<void> {
    this.applying.set(true);
    try {
      await this.api.applyScenario(name, seed);
      this.lastApplied.set(name);
      this.scenariosError.set(null);
    } catch (error) {
      this.scenariosError.set(apiErrorOf(error));
    } finally {
      this.applying.set(false);
    }
    await this.loadClocks();
    this.live.refreshAll();
  }

  async startReplay(): Promise<void> {
    clearTimeout(this.replayTimer);
    this.replayError.set(null);
    try {
      this.replay.set(await this.api.startReplay({}));
      this.followReplay();
    } catch (error) {
      this.replayError.set(apiErrorOf(error));
    }
  }

  private followReplay(): void {
    const job = this.replay();
    if (!job || job.status !== 'running') {
      this.live.refreshAll();
      return;
    }
    this.replayTimer = setTimeout(async () => {
      try {
        this.replay.set(await this.api.replay(job.id));
        this.replayError.set(null);
      } catch (error) {
        this.replayError.set(apiErrorOf(error));
      }
      this.followReplay();
    }, REPLAY_POLL_MS);
  }
}
