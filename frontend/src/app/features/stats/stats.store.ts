import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiError, apiErrorOf } from '../../core/api/api-error';
import { ORDERING_STRATEGIES, type Stats } from '../../core/api/api-types';
import { LabApi } from '../../core/api/lab-api.service';
import { reloadWhenChanged } from '../../core/live/reload-when-changed';
import type { AccuracyBar } from '../../shared/ui/accuracy-bars.component';
import { STRATEGY_LABELS } from '../../shared/ui/witness-table.component';

@Injectable()
export class StatsStore {
  private readonly api = inject(LabApi);
  readonly stats = signal<Stats | null>(null);
  readonly error = signal<ApiError | null>(null);

  /** Truth is always 100% by definition; it stays as the yardstick bar. */
  readonly bars = computed<AccuracyBar[]>(() => {
    const stats = this.stats();
    if (!stats) return [];
    return ORDERING_STRATEGIES.map((strategy) => ({
      key: strategy,
      label: STRATEGY_LABELS[strategy],
      share: stats.accuracy[strategy],
      detail: `${stats.correct_seats[strategy]} of ${stats.contended_seats} contended seats`,
    }));
  });

  constructor() {
    reloadWhenChanged(['attempt', 'conflict'], () => void this.load());
  }

  async load(): Promise<void> {
    try {
      this.stats.set(await this.api.stats());
      this.error.set(null);
    } catch (error) {
      this.error.set(apiErrorOf(error));
    }
  }
}
