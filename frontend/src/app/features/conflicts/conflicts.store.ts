import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiError, apiErrorOf } from '../../core/api/api-error';
import type { Conflict, ConflictKind, ConflictQuery } from '../../core/api/api-types';
import { LabApi } from '../../core/api/lab-api.service';
import { reloadWhenChanged } from '../../core/live/reload-when-changed';

export const CONFLICTS_PAGE_SIZE = 100;

@Injectable()
export class ConflictsStore {
  private readonly api = inject(LabApi);

  readonly kind = signal<ConflictKind | ''>('');
  readonly seatFilter = signal('');
  readonly serverId = signal('');
  readonly conflicts = signal<Conflict[]>([]);
  readonly total = signal(0);
  readonly error = signal<ApiError | null>(null);
  readonly expanded = signal<ReadonlySet<string>>(new Set());

  readonly query = computed<ConflictQuery>(() => {
    const seat = Number(this.seatFilter().trim());
    return {
      kind: this.kind() || undefined,
      seat_id: this.seatFilter().trim() !== '' && Number.isInteger(seat) && seat > 0 ? seat : undefined,
      server_id: this.serverId() || undefined,
      limit: CONFLICTS_PAGE_SIZE,
    };
  });

  constructor() {
    reloadWhenChanged(
      ['conflict'],
      () => void this.load(),
      () => this.query(),
    );
  }

  async load(): Promise<void> {
    try {
      const page = await this.api.conflicts(this.query());
      this.conflicts.set(page.items);
      this.total.set(page.total);
      this.error.set(null);
    } catch (error) {
      this.error.set(apiErrorOf(error));
    }
  }

  toggle(id: string): void {
    this.expanded.update((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }
}
