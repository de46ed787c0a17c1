import { Injectable, computed, inject, signal } from '@angular/core';
import { LabApi } from '../api/lab-api.service';
import { APP_CONFIG } from '../config/app-config';
import { liveResource } from '../live/live-resource';
import { BookingServers } from '../servers/booking-servers.service';
import { LabAlert, evaluateAlerts } from './alert-rules';

const DISMISSED_KEY = 'ntp-lab.dismissed-alerts';

function readDismissed(): ReadonlySet<string> {
  try {
    const ids: unknown = JSON.parse(globalThis.sessionStorage?.getItem(DISMISSED_KEY) ?? '[]');
    return new Set(Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

/**
 * The lab's current alerts (unsynchronised clocks, error bounds past the
 * threshold, inversions), for the bar every screen shows and the NTP screen.
 * A dismissed alert stays hidden for this tab until it clears and comes back
 * under a new id (a new inversion has a new conflict id).
 */
@Injectable({ providedIn: 'root' })
export class LabAlerts {
  private readonly api = inject(LabApi);
  private readonly servers = inject(BookingServers);
  readonly errorBoundThresholdMs = signal(inject(APP_CONFIG).errorBoundAlertMs);
  private readonly dismissed = signal<ReadonlySet<string>>(readDismissed());

  private readonly inversions = liveResource({
    reloadOn: ['conflict'],
    load: (_none: undefined, abort) => this.api.conflicts({ kind: 'inversion', limit: 10 }, abort),
  });

  readonly all = computed<LabAlert[]>(() =>
    evaluateAlerts({
      servers: this.servers.statuses(),
      inversions: this.inversions.value()?.items ?? [],
      errorBoundThresholdMs: this.errorBoundThresholdMs(),
    }),
  );
  readonly visible = computed(() => this.all().filter((alert) => !this.dismissed().has(alert.id)));
  readonly hiddenCount = computed(() => this.all().length - this.visible().length);

  dismiss(id: string): void {
    this.updateDismissed((ids) => new Set(ids).add(id));
  }

  showDismissed(): void {
    this.updateDismissed(() => new Set());
  }

  private updateDismissed(change: (ids: ReadonlySet<string>) => ReadonlySet<string>): void {
    this.dismissed.update(change);
    try {
      globalThis.sessionStorage?.setItem(DISMISSED_KEY, JSON.stringify([...this.dismissed()]));
    } catch {
      // storage refused: dismissals last for this page only
    }
  }
}
