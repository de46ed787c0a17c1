import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { LiveStatus } from '../../core/live/live-updates.service';

const LABELS: Record<LiveStatus, string> = { live: 'Live', 'catching-up': 'Catching up', disconnected: 'Disconnected' };

/** The dot in the header: green live, amber catching up, red disconnected. */
@Component({
  selector: 'lab-live-indicator',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="indicator" [attr.data-status]="status()" [attr.title]="detail()" role="status">
    <span class="dot"></span>{{ label() }}
  </span>`,
  styles: `
    .indicator {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-size: 12px;
      font-weight: 600;
      padding: 3px 10px;
      border-radius: 999px;
      border: 1px solid var(--border);
      background: var(--surface);
    }
    .dot {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: currentColor;
    }
    [data-status='live'] {
      color: var(--good);
    }
    [data-status='catching-up'] {
      color: var(--warn);
    }
    [data-status='catching-up'] .dot {
      animation: pulse 1s infinite alternate;
    }
    [data-status='disconnected'] {
      color: var(--bad);
    }
    @keyframes pulse {
      from {
        opacity: 1;
      }
      to {
        opacity: 0.3;
      }
    }
  `,
})
export class LiveIndicatorComponent {
  readonly status = input.required<LiveStatus>();
  readonly detail = input('');
  protected readonly label = computed(() => LABELS[this.status()]);
}
