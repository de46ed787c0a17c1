import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { TimeStatus } from '../api/api-types';
import { LabApi } from '../api/lab-api.service';
import { APP_CONFIG } from '../config/app-config';
import { liveResource } from '../live/live-resource';

export interface BookingServerView {
  id: string;
  /** What the server's clock is really off by now (null until /api/time/status answers). */
  trueOffsetMs: number | null;
}

/** The two servers whose clocks are furthest apart: the pair that shows an inversion best. */
export interface FurthestApart {
  ahead: TimeStatus;
  behind: TimeStatus;
  spreadMs: number;
}

export function furthestApart(statuses: readonly TimeStatus[]): FurthestApart | null {
  if (statuses.length < 2) return null;
  const sorted = [...statuses].sort((a, b) => b.true_offset_ms - a.true_offset_ms);
  const ahead = sorted[0];
  const behind = sorted[sorted.length - 1];
  return { ahead, behind, spreadMs: ahead.true_offset_ms - behind.true_offset_ms };
}

/**
 * The booking servers and their clocks (GET /api/time/status), for every
 * picker, the alerts and the NTP screen: one load, refreshed when a clock
 * changes, and every `clockPollMs` while a screen asks (drift moves a clock
 * between syncs). Until the API answers, the backend's default five.
 */
@Injectable({ providedIn: 'root' })
export class BookingServers {
  private readonly api = inject(LabApi);
  private readonly config = inject(APP_CONFIG);
  private readonly pollTick = signal(0);
  private pollers = 0;
  private pollTimer: ReturnType<typeof setInterval> | undefined;

  private readonly loaded = liveResource({
    reloadOn: ['clock'],
    params: () => this.pollTick(),
    load: (_tick, abort) => this.api.timeStatus(abort),
  });

  readonly statuses = computed<readonly TimeStatus[]>(() => this.loaded.value() ?? []);
  readonly error = this.loaded.error;
  readonly ids = computed<readonly string[]>(() => {
    const statuses = this.statuses();
    return statuses.length > 0 ? statuses.map((status) => status.server_id) : this.config.fallbackServerIds;
  });
  readonly servers = computed<readonly BookingServerView[]>(() => {
    const byId = new Map(this.statuses().map((status) => [status.server_id, status.true_offset_ms]));
    return this.ids().map((id) => ({ id, trueOffsetMs: byId.get(id) ?? null }));
  });
  readonly furthestApart = computed(() => furthestApart(this.statuses()));

  constructor() {
    inject(DestroyRef).onDestroy(() => clearInterval(this.pollTimer));
  }

  reload(): void {
    this.loaded.reload();
  }

  /** Keeps the statuses fresh while the caller lives (the NTP screen's drift view). */
  keepPolling(destroyRef: DestroyRef): void {
    this.pollers += 1;
    if (this.pollers === 1) {
      this.pollTimer = setInterval(() => this.pollTick.update((n) => n + 1), this.config.clockPollMs);
    }
    destroyRef.onDestroy(() => {
      this.pollers -= 1;
      if (this.pollers === 0) clearInterval(this.pollTimer);
    });
  }
}
