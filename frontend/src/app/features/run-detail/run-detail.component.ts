import { ChangeDetectionStrategy, Component, effect, inject, input, untracked } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { formatCount } from '../../shared/format';
import { ApiErrorMessageComponent } from '../../shared/ui/api-error-message.component';
import { ConflictKindsLegendComponent } from '../../shared/ui/conflict-kinds-legend.component';
import { SeatTimelineComponent } from '../../shared/ui/seat-timeline/seat-timeline.component';
import { ConflictKindSelectComponent, conflictKindOf } from '../conflicts/conflict-kind-select.component';
import { ConflictsTableComponent } from '../conflicts/conflicts-table.component';
import { ConflictsStore } from '../conflicts/conflicts.store';
import { StatsFiguresComponent } from '../stats/stats-figures.component';
import { StatsStore } from '../stats/stats.store';
import { RunDetailStore } from './run-detail.store';

/**
 * One seeded run or past lab session, opened: its figures, its conflicts
 * (the API filters by run_id) and any seat's timeline, as for the live lab.
 */
@Component({
  selector: 'lab-run-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ApiErrorMessageComponent,
    ConflictKindSelectComponent,
    ConflictKindsLegendComponent,
    ConflictsTableComponent,
    RouterLink,
    SeatTimelineComponent,
    StatsFiguresComponent,
  ],
  providers: [RunDetailStore, ConflictsStore, StatsStore],
  templateUrl: './run-detail.component.html',
  styles: `
    :host {
      display: grid;
      gap: 12px;
    }
    .filters {
      display: flex;
      gap: 10px;
      align-items: end;
      flex-wrap: wrap;
      margin-bottom: 8px;
    }
  `,
})
export class RunDetailComponent {
  protected readonly store = inject(RunDetailStore);
  protected readonly conflicts = inject(ConflictsStore);
  protected readonly stats = inject(StatsStore);
  private readonly router = inject(Router);
  protected readonly count = formatCount;

  /** Route parameter: a seeded run's id or a session id. */
  readonly runId = input.required<string>();
  /** `?kind=inversion` (from a run's report) and `?seat=7` (a conflict's timeline link). */
  readonly kind = input<string | undefined>(undefined);
  readonly seat = input<string | undefined>(undefined);

  constructor() {
    effect(() => {
      const runId = this.runId();
      untracked(() => {
        this.store.runId.set(runId);
        this.conflicts.runId.set(runId);
        this.stats.runId.set(runId);
      });
    });
    effect(() => {
      const kind = conflictKindOf(this.kind());
      untracked(() => this.conflicts.kind.set(kind));
    });
    effect(() => {
      const seatId = Number(this.seat());
      untracked(() => this.store.seatId.set(Number.isInteger(seatId) && seatId > 0 ? seatId : null));
    });
  }

  protected setKind(value: string): void {
    void this.router.navigate([], { queryParams: { kind: value || null }, queryParamsHandling: 'merge' });
  }

  protected closeTimeline(): void {
    void this.router.navigate([], { queryParams: { seat: null }, queryParamsHandling: 'merge' });
  }
}
