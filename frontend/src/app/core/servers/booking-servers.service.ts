import { Injectable, inject, signal } from '@angular/core';
import { LabApi } from '../api/lab-api.service';
import { APP_CONFIG } from '../config/app-config';

/**
 * The booking servers' ids, for every picker in the console. Read from
 * /api/time/status; until that answers, the backend's default five.
 */
@Injectable({ providedIn: 'root' })
export class BookingServers {
  private readonly api = inject(LabApi);
  readonly ids = signal<readonly string[]>(inject(APP_CONFIG).fallbackServerIds);
  private loaded = false;

  async load(): Promise<void> {
    if (this.loaded) return;
    try {
      const statuses = await this.api.timeStatus();
      if (statuses.length > 0) {
        this.ids.set(statuses.map((status) => status.server_id));
        this.loaded = true;
      }
    } catch {
      // Keep the fallback list: the time endpoints may not exist yet, and every
      // screen that needs them reports their absence itself.
    }
  }
}
