import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ApiErrorMessageComponent } from '../../shared/ui/api-error-message.component';
import { StatsFiguresComponent } from './stats-figures.component';
import { StatsStore } from './stats.store';

@Component({
  selector: 'lab-stats',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorMessageComponent, StatsFiguresComponent],
  providers: [StatsStore],
  template: `
    <div class="page-head">
      <h1>Stats</h1>
      <p>How often each way of ordering attempts gives the seat to the customer who was truly first.</p>
    </div>
    <section class="panel" aria-labelledby="accuracy-title">
      <header class="panel-head"><h2 id="accuracy-title">Ordering accuracy against the truth (live lab)</h2></header>
      <lab-api-error [error]="store.error()" />
      @if (store.stats(); as stats) {
        <lab-stats-figures [stats]="stats" [bars]="store.bars()" />
      }
    </section>
  `,
  styles: `
    :host {
      display: grid;
      gap: 12px;
    }
  `,
})
export class StatsComponent {
  protected readonly store = inject(StatsStore);
}
