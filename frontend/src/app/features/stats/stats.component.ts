import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { AccuracyBarsComponent } from '../../shared/ui/accuracy-bars.component';
import { ApiErrorMessageComponent } from '../../shared/ui/api-error-message.component';
import { StatsStore } from './stats.store';

@Component({
  selector: 'lab-stats',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AccuracyBarsComponent, ApiErrorMessageComponent],
  providers: [StatsStore],
  template: `
    <section class="panel">
      <header class="panel-head"><h2>Ordering accuracy against truth</h2></header>
      <lab-api-error [error]="store.error()" />
      @if (store.stats(); as stats) {
        <dl class="kpis">
          <div>
            <dt>Attempts</dt>
            <dd data-kpi="attempts">{{ stats.attempts }}</dd>
          </div>
          <div>
            <dt>Seats with attempts</dt>
            <dd>{{ stats.seats_with_attempts }}</dd>
          </div>
          <div>
            <dt>Settled seats</dt>
            <dd>{{ stats.settled_seats }}</dd>
          </div>
          <div>
            <dt>Contended seats</dt>
            <dd data-kpi="contended">{{ stats.contended_seats }}</dd>
          </div>
          <div>
            <dt>Contention</dt>
            <dd>{{ stats.conflicts.contention }}</dd>
          </div>
          <div>
            <dt>Inversions</dt>
            <dd class="bad" data-kpi="inversions">{{ stats.conflicts.inversion }}</dd>
          </div>
          <div>
            <dt>Ambiguous</dt>
            <dd>{{ stats.conflicts.ambiguous }}</dd>
          </div>
        </dl>
        <p class="muted">Share of contended seats where each strategy's winner is the truly first attempt.</p>
        <lab-accuracy-bars [bars]="store.bars()" />
      }
    </section>
  `,
})
export class StatsComponent {
  protected readonly store = inject(StatsStore);
}
