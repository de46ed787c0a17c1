import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { PercentPipe } from '@angular/common';

export interface AccuracyBar {
  key: string;
  label: string;
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
        <span class="track"
          ><span class="fill" [style.width.%]="bar.share * 100" [class.low]="bar.share < 0.9"></span
        ></span>
        <span class="value">{{ bar.share | percent: '1.0-1' }}</span>
        <small>{{ bar.detail }}</small>
      </li>
    }
  </ul>`,
  styles: `
    .bars {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 8px;
    }
    li {
      display: grid;
      grid-template-columns: 130px 1fr 60px 150px;
      align-items: center;
      gap: 10px;
    }
    .name {
      font-weight: 600;
    }
    .track {
      height: 16px;
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
      font: 13px var(--font-mono);
      text-align: right;
    }
    small {
      color: var(--muted);
    }
  `,
})
export class AccuracyBarsComponent {
  readonly bars = input.required<readonly AccuracyBar[]>();
}
