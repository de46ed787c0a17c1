import { Injectable, computed, inject, signal } from '@angular/core';
import { ORDERING_STRATEGIES } from '../../core/api/api-types';
import { LabApi } from '../../core/api/lab-api.service';
import { liveResource } from '../../core/live/live-resource';
import { formatCount } from '../../shared/format';
import { STRATEGIES } from '../../shared/strategies';
import type { AccuracyBar } from '../../shared/ui/accuracy-bars.component';

/** Ordering accuracy of the live lab, or of one seeded run or past session (runId). */
@Injectable()
export class StatsStore {
  private readonly api = inject(LabApi);
  /** '' = the live lab. */
  readonly runId = signal('');
  private readonly loaded = liveResource({
    reloadOn: ['attempt', 'conflict'],
    params: () => this.runId(),
    load: (runId: string, abort) => this.api.stats(runId || undefined, abort),
  });
  readonly stats = computed(() => this.loaded.value() ?? null);
  readonly error = this.loaded.error;

  /** Truth is always 100% by definition; it stays as the yardstick bar. */
  readonly bars = computed<AccuracyBar[]>(() => {
    const stats = this.stats();
    if (!stats) return [];
    return ORDERING_STRATEGIES.map((strategy) => ({
      key: strategy,
      label: STRATEGIES[strategy].label,
      explanation: STRATEGIES[strategy].explanation,
      share: stats.accuracy[strategy],
      detail: `${formatCount(stats.correct_seats[strategy])} of ${formatCount(stats.contended_seats)} contended seats`,
    }));
  });
}
