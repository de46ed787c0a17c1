import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ConflictWitness } from '../../core/api/api-types';
import { ORDERING_STRATEGIES } from '../../core/api/api-types';
import { clockTime, formatBoundMs, formatHlc, formatMs, formatSignedMs, formatTruthUncertaintyMs } from '../format';
import { STRATEGIES, decidedByText } from '../strategies';

/**
 * Every stamp of every attempt in a conflict, and which attempt each ordering
 * put first, with a legend: the stamps are times relative to the earliest
 * true time, the marks say who each ordering picked and whether it was right.
 */
@Component({
  selector: 'lab-witness-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="table-scroll" tabindex="0" role="region" aria-label="Witness">
      <table class="dense witness">
        <thead>
          <tr>
            <th scope="colgroup" colspan="3">Attempt</th>
            <th scope="colgroup" colspan="7" class="group">Its stamps (times: after the first true attempt)</th>
            <th scope="colgroup" [attr.colspan]="strategies.length" class="group">Who each ordering put first</th>
          </tr>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Server</th>
            <th scope="col" title="what the booking server answered at once, from its own view">Server said</th>
            <th scope="col" class="group">Server clock</th>
            <th scope="col">NTP offset estimate</th>
            <th scope="col">NTP-corrected</th>
            <th scope="col">Error bound</th>
            <th scope="col">True time</th>
            <th scope="col">HLC (time + counter)</th>
            <th scope="col">Log position</th>
            @for (strategy of strategies; track strategy) {
              <th scope="col" class="pick" [class.group]="$first" [title]="info[strategy].explanation">
                {{ info[strategy].label }}
              </th>
            }
          </tr>
        </thead>
        <tbody>
          @for (attempt of witness().attempts; track attempt.attempt_id) {
            <tr [class.authoritative]="attempt.attempt_id === witness().authoritative.attempt_id">
              <th scope="row">{{ attempt.customer_name }}</th>
              <td class="nowrap">{{ attempt.server_id }}</td>
              <td>{{ attempt.local_decision }}</td>
              <td class="mono nowrap group" [title]="clock(attempt.server_time_ms)">
                {{ rel(attempt.server_time_ms) }}
              </td>
              <td class="mono nowrap">{{ signed(attempt.estimated_offset_ms) }}</td>
              <td class="mono nowrap" [title]="clock(attempt.ntp_corrected_time_ms)">
                {{ rel(attempt.ntp_corrected_time_ms) }}
              </td>
              <td class="mono nowrap">{{ bound(attempt.error_bound_ms) }}</td>
              <td class="mono nowrap" data-column="true-time" [title]="clock(attempt.reference_time_ms)">
                {{ rel(attempt.reference_time_ms) }}
                @if (attempt.reference_uncertainty_ms > 0) {
                  <span class="truth-uncertainty" title="how far the reference may itself be off">{{
                    truthUncertainty(attempt.reference_uncertainty_ms)
                  }}</span>
                }
              </td>
              <td class="mono nowrap" [title]="attempt.hlc">{{ hlc(attempt.hlc) }}</td>
              <td class="mono">{{ attempt.log_position }}</td>
              @for (strategy of strategies; track strategy) {
                <td class="pick" [class.group]="$first" [attr.data-strategy]="strategy">
                  @if (witness().winners[strategy].attempt_id === attempt.attempt_id) {
                    @let wrong = attempt.attempt_id !== truthWinner();
                    <span class="picked" [class.wrong]="wrong" [attr.aria-label]="wrong ? 'first, wrongly' : 'first'">{{
                      wrong ? '✗' : '●'
                    }}</span>
                  }
                </td>
              }
            </tr>
          }
        </tbody>
      </table>
    </div>
    <p class="legend" data-testid="witness-legend">
      <span><span class="picked">●</span> put first by that ordering, and truly first</span>
      <span><span class="picked wrong">✗</span> put first by that ordering, but someone else was truly first</span>
      <span>Bold row: who got the seat.</span>
      @if (truthUncertain()) {
        <span
          >True time ±: how far the lab's reference may itself be off (a real clock); a bound counts as wrong only
          beyond it.</span
        >
      }
    </p>
    <p class="explanation">
      The seat went to <strong>{{ witness().authoritative.customer_name }}</strong>,
      {{ decidedBy(witness().authoritative.decided_by) }}. {{ witness().explanation }}
    </p>
  `,
  styles: `
    .pick {
      text-align: center;
    }
    .group {
      border-left: 2px solid var(--border-strong);
    }
    .picked {
      color: var(--good);
      font-weight: 700;
    }
    .picked.wrong {
      color: var(--bad);
    }
    tr.authoritative th,
    tr.authoritative td {
      font-weight: 700;
    }
    tbody th {
      text-align: left;
      font-weight: 500;
    }
    .legend,
    .explanation {
      margin: 6px 0 0;
      color: var(--muted);
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 2px 16px;
    }
  `,
})
export class WitnessTableComponent {
  readonly witness = input.required<ConflictWitness>();
  protected readonly strategies = ORDERING_STRATEGIES;
  protected readonly info = STRATEGIES;
  protected readonly origin = computed(() =>
    Math.min(...this.witness().attempts.map((attempt) => attempt.reference_time_ms)),
  );
  protected readonly truthWinner = computed(() => this.witness().winners.truth.attempt_id);
  protected readonly decidedBy = decidedByText;
  protected readonly signed = formatSignedMs;
  protected readonly ms = formatMs;
  protected readonly bound = formatBoundMs;
  protected readonly truthUncertainty = formatTruthUncertaintyMs;
  protected readonly truthUncertain = computed(() =>
    this.witness().attempts.some((attempt) => attempt.reference_uncertainty_ms > 0),
  );
  protected readonly hlc = formatHlc;
  protected readonly clock = clockTime;

  protected rel(timeMs: number): string {
    return formatSignedMs(timeMs - this.origin());
  }
}
