import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

@Component({
  selector: 'lab-progress-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div
      class="track"
      role="progressbar"
      aria-valuemin="0"
      aria-valuemax="100"
      [attr.aria-label]="label()"
      [attr.aria-valuenow]="percent()"
      [attr.data-state]="state()"
    >
      <div class="fill" [style.width.%]="percent()"></div>
    </div>
    <span class="label">{{ percent() }}%</span>`,
  styles: `
    :host {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    .track {
      flex: 1;
      height: 10px;
      background: var(--grid);
      border-radius: 5px;
      overflow: hidden;
    }
    .fill {
      height: 100%;
      background: var(--accent);
      transition: width 0.2s;
    }
    [data-state='completed'] .fill {
      background: var(--good);
    }
    [data-state='failed'] .fill {
      background: var(--bad);
    }
    .label {
      font-family: var(--font-mono);
      min-width: 3.5em;
      text-align: right;
    }
  `,
})
export class ProgressBarComponent {
  /** Share done, 0..1. */
  readonly progress = input.required<number>();
  readonly state = input<'running' | 'completed' | 'failed'>('running');
  /** What is progressing, for screen readers (a progress bar needs a name). */
  readonly label = input('Progress');
  protected readonly percent = computed(() => Math.round(Math.min(Math.max(this.progress(), 0), 1) * 100));
}
