import { Injectable, computed, inject, signal } from '@angular/core';
import type { ConflictKind, ConflictQuery } from '../../core/api/api-types';
import { LabApi } from '../../core/api/lab-api.service';
import { liveResource } from '../../core/live/live-resource';

export const CONFLICTS_PAGE_SIZE = 100;

/** Conflicts of the live lab, or of one seeded run or past session (runId), filtered; a newer filter's answer wins. */
@Injectable()
export class ConflictsStore {
  private readonly api = inject(LabApi);

  readonly kind = signal<ConflictKind | ''>('');
  readonly seatFilter = signal('');
  readonly serverId = signal('');
  /** '' = the live lab. */
  readonly runId = signal('');
  readonly expanded = signal<ReadonlySet<string>>(new Set());

  readonly query = computed<ConflictQuery>(() => {
    const seatText = this.seatFilter().trim();
    const seat = Number(seatText);
    return {
      kind: this.kind() || undefined,
      seat_id: seatText !== '' && Number.isInteger(seat) && seat > 0 ? seat : undefined,
      server_id: this.serverId() || undefined,
      run_id: this.runId() || undefined,
      limit: CONFLICTS_PAGE_SIZE,
    };
  });

  private readonly page = liveResource({
    reloadOn: ['conflict'],
    params: () => this.query(),
    load: (query: ConflictQuery, abort) => this.api.conflicts(query, abort),
  });

  readonly conflicts = computed(() => this.page.value()?.items ?? []);
  readonly total = computed(() => this.page.value()?.total ?? 0);
  readonly error = this.page.error;
  readonly loading = this.page.loading;

  toggle(id: string): void {
    this.expanded.update((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }
}
