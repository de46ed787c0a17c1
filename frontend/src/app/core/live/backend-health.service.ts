import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { apiErrorOf, isUnreachable } from '../api/api-error';
import { LabApi } from '../api/lab-api.service';
import { APP_CONFIG } from '../config/app-config';

/** up: answering and healthy; store-down: answering, but its store is not (503); down: not answering. */
export type BackendState = 'unknown' | 'up' | 'store-down' | 'down';

/**
 * Polls /health so the console can say "backend unreachable" and notice by
 * itself when it comes back (no reload). Listeners hear every poll result.
 */
@Injectable({ providedIn: 'root' })
export class BackendHealth {
  private readonly api = inject(LabApi);
  private readonly config = inject(APP_CONFIG);

  readonly state = signal<BackendState>('unknown');
  readonly detail = signal<string>('');
  /** How many times the backend came back after being unreachable: errors from before a recovery are stale. */
  readonly recoveries = signal(0);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(state: BackendState, previous: BackendState) => void>();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  onPoll(listener: (state: BackendState, previous: BackendState) => void): void {
    this.listeners.add(listener);
  }

  start(): void {
    if (this.timer === undefined) void this.poll();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Polls now (also used when a call failed as unreachable, to confirm quickly). */
  async poll(): Promise<void> {
    clearTimeout(this.timer);
    const previous = this.state();
    let next: BackendState;
    try {
      const health = await this.api.health();
      next = health.status === 'ok' ? 'up' : 'store-down';
      this.detail.set(
        `${health.event_store.kind} store, read model ${health.read_model.caught_up ? 'caught up' : 'catching up'}`,
      );
    } catch (error) {
      const apiError = apiErrorOf(error);
      next = isUnreachable(apiError) ? 'down' : apiError.status === 503 ? 'store-down' : 'up';
      this.detail.set(apiError.messages.join('; '));
    }
    this.state.set(next);
    if (previous === 'down' && next !== 'down') this.recoveries.update((n) => n + 1);
    for (const listener of this.listeners) listener(next, previous);
    this.timer = setTimeout(() => void this.poll(), this.config.healthPollMs);
  }
}
