import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { Stats } from '../../core/api/api-types';
import { formatCount } from '../../shared/format';
import { AccuracyBar, AccuracyBarsComponent } from '../../shared/ui/accuracy-bars.component';

/** The lab's figures and each ordering's accuracy against the truth (live lab, a run or a session). */
@Component({
  selector: 'lab-stats-figures',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AccuracyBarsComponent],
  template: `
    <dl class="kpis">
      <div>
        <dt>Attempts</dt>
        <dd data-kpi="attempts">{{ count(stats().attempts) }}</dd>
      </div>
      <div>
        <dt>Seats tried</dt>
        <dd>{{ count(stats().seats_with_attempts) }}</dd>
      </div>
      <div>
        <dt>Seats settled</dt>
        <dd>{{ count(stats().settled_seats) }}</dd>
      </div>
      <div>
        <dt title="seats with two or more attempts (conflicts of kind contention)">Contended seats</dt>
        <dd data-kpi="contended">{{ count(stats().contended_seats) }}</dd>
      </div>
      <div>
        <dt>Inversions</dt>
        <dd class="bad" data-kpi="inversions">{{ count(stats().conflicts.inversion) }}</dd>
      </div>
      <div>
        <dt>Ambiguous</dt>
        <dd data-kpi="ambiguous">{{ count(stats().conflicts.ambiguous) }}</dd>
      </div>
    </dl>
    <p class="muted">Share of contended seats where each ordering's first attempt is the truly first one.</p>
    <lab-accuracy-bars [bars]="bars()" />
  `,
})
export class StatsFiguresComponent {
  readonly stats = input.required<Stats>();
  readonly bars = input.required<readonly AccuracyBar[]>();
  protected readonly count = formatCount;
}
