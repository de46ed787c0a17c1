import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { PercentPipe } from '@angular/common';

export interface AccuracyBar {
  key: string;
  label: string;
  /** One line on what the bar's ordering is. */
  explanation: string;
  /** 0..1 */
  share: number;
  detail: string;
}

/** Horizontal bars, one per strategy; plain CSS so they print and test without a canvas. */
@Component({
  selector: 'lab-accuracy-bars',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [PercentPipe],
  template: `<ul class="bars">
    @for (bar of bars(); track bar.key) {
      <li [attr.data-strategy]="bar.key">
        <span class="name">{{ bar.label }}</span>
        <span
          class="track"
          role="meter"
          aria-valuemin="0"
          aria-valuemax="100"
          [attr.aria-valuenow]="bar.share * 100"
          [attr.aria-label]="bar.label + ' accuracy'"
          ><span class="fill" [style.width.%]="bar.share * 100" [class.low]="bar.share < 0.9"></span
        ></span>
        <span class="value">{{ bar.share | percent: '1.0-1' }}</span>
        <small class="detail">{{ bar.detail }}</small>
        <small class="explanation">{{ bar.explanation }}</small>
      </li>
    }
  </ul>`,
  styles: `
    .bars {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 10px;
    }
    li {
      display: grid;
      grid-template-columns: minmax(0, 11em) minmax(0, 1fr) 4.5em minmax(0, 13em);
      align-items: center;
      gap: 2px 10px;
    }
    .name {
      font-weight: 600;
    }
    .track {
      height: 1.1em;
      background: var(--grid);
      border-radius: 3px;
      overflow: hidden;
    }
    .fill {
      display: block;
      height: 100%;
      background: var(--good);
    }
    .fill.low {
      background: var(--warn);
    }
    .value {
      font-family: var(--font-mono);
      text-align: right;
    }
    small {
      color: var(--muted);
    }
    .explanation {
      grid-column: 1 / -1;
    }
    @media (max-width: 640px) {
      li {
        grid-template-columns: minmax(0, 1fr) 4.5em;
      }
      .track {
        grid-column: 1 / -1;
        grid-row: 2;
      }
    }
  `,
})
export class AccuracyBarsComponent {
  readonly bars = input.required<readonly AccuracyBar[]>();
}
