import { ChangeDetectionStrategy, Component } from '@angular/core';

/** What each conflict kind means, in one line each. */
@Component({
  selector: 'lab-conflict-kinds-legend',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dl class="kinds-legend">
      <div>
        <dt><span class="chip" data-kind="contention">contention</span></dt>
        <dd>two or more attempts on one seat</dd>
      </div>
      <div>
        <dt><span class="chip" data-kind="inversion">inversion</span></dt>
        <dd>the server clocks put someone other than NTP-corrected time first: the skew chose</dd>
      </div>
      <div>
        <dt><span class="chip" data-kind="ambiguous">ambiguous</span></dt>
        <dd>corrected times closer than their error bounds: time cannot order them, arrival in the log decides</dd>
      </div>
    </dl>
  `,
  styles: `
    .kinds-legend {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 18px;
      margin: 0 0 8px;
      color: var(--muted);
    }
    .kinds-legend div {
      display: flex;
      gap: 4px;
      align-items: baseline;
    }
    dd {
      margin: 0;
    }
  `,
})
export class ConflictKindsLegendComponent {}
