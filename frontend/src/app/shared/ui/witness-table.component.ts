import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { DecimalPipe } from '@angular/common';
import type { ConflictWitness, OrderingStrategy } from '../../core/api/api-types';
import { ORDERING_STRATEGIES } from '../../core/api/api-types';
import { clockTime, relativeMs } from '../time-format';

export const STRATEGY_LABELS: Record<OrderingStrategy, string> = {
  server_clock: 'Server clock',
  ntp_corrected: 'NTP-corrected',
  log_order: 'Log order',
  hlc: 'HLC',
  truth: 'Truth',
};

/** Every stamp of every attempt in a conflict, and which attempt each strategy picked. */
@Component({
  selector: 'lab-witness-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe],
  template: `
    <table class="dense witness">
      <thead>
        <tr>
          <th>Customer</th>
          <th>Server</th>
          <th>Local</th>
          <th title="server clock, ms after the first true time">Server clock</th>
          <th>Est. offset</th>
          <th>NTP-corrected</th>
          <th>±bound</th>
          <th>True time</th>
          <th>HLC</th>
          <th>Log pos.</th>
          @for (strategy of strategies; track strategy) {
            <th class="pick">{{ labels[strategy] }}</th>
          }
        </tr>
      </thead>
      <tbody>
        @for (attempt of witness().attempts; track attempt.attempt_id) {
          <tr [class.authoritative]="attempt.attempt_id === witness().authoritative.attempt_id">
            <td>{{ attempt.customer_name }}</td>
            <td class="nowrap">{{ attempt.server_id }}</td>
            <td>{{ attempt.local_decision }}</td>
            <td class="mono" [title]="clock(attempt.server_time_ms)">{{ rel(attempt.server_time_ms) }}</td>
            <td class="mono">{{ attempt.estimated_offset_ms | number: '1.1-1' }}</td>
            <td class="mono" [title]="clock(attempt.ntp_corrected_time_ms)">
              {{ rel(attempt.ntp_corrected_time_ms) }}
            </td>
            <td class="mono">{{ attempt.error_bound_ms | number: '1.1-1' }}</td>
            <td class="mono" [title]="clock(attempt.reference_time_ms)">{{ rel(attempt.reference_time_ms) }}</td>
            <td class="mono small nowrap">{{ attempt.hlc }}</td>
            <td class="mono">{{ attempt.log_position }}</td>
            @for (strategy of strategies; track strategy) {
              <td class="pick" [attr.data-strategy]="strategy">
                @if (witness().winners[strategy].attempt_id === attempt.attempt_id) {
                  <span class="picked" [class.wrong]="attempt.attempt_id !== truthWinner()">●</span>
                }
              </td>
            }
          </tr>
        }
      </tbody>
    </table>
    <p class="explanation">
      Times in ms after the earliest true time. Authoritative:
      <strong>{{ witness().authoritative.customer_name }}</strong> ({{ witness().authoritative.decided_by }}).
      {{ witness().explanation }}
    </p>
  `,
  styles: `
    .pick {
      text-align: center;
    }
    .nowrap {
      white-space: nowrap;
    }
    .picked {
      color: var(--good);
      font-size: 14px;
    }
    .picked.wrong {
      color: var(--bad);
    }
    tr.authoritative td:first-child {
      font-weight: 700;
    }
    .small {
      font-size: 11px;
    }
    .explanation {
      margin: 6px 0 0;
      font-size: 12px;
      color: var(--muted);
    }
  `,
})
export class WitnessTableComponent {
  readonly witness = input.required<ConflictWitness>();
  protected readonly strategies = ORDERING_STRATEGIES;
  protected readonly labels = STRATEGY_LABELS;
  protected readonly origin = computed(() =>
    Math.min(...this.witness().attempts.map((attempt) => attempt.reference_time_ms)),
  );
  protected readonly truthWinner = computed(() => this.witness().winners.truth.attempt_id);

  protected rel(timeMs: number): string {
    return relativeMs(timeMs, this.origin());
  }

  protected clock(timeMs: number): string {
    return clockTime(timeMs);
  }
}
