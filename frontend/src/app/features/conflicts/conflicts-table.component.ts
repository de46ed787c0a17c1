import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Conflict } from '../../core/api/api-types';
import { decidedByText } from '../../shared/strategies';
import { WitnessTableComponent } from '../../shared/ui/witness-table.component';

/**
 * Conflicts, one row each; a row opens into its witness (by click, or by its
 * button from the keyboard) and links to its seat's timeline.
 */
@Component({
  selector: 'lab-conflicts-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, WitnessTableComponent],
  template: `
    <div class="table-scroll">
      <table class="dense conflicts">
        <thead>
          <tr>
            <th scope="col"><span class="visually-hidden">Witness</span></th>
            <th scope="col">Seat</th>
            <th scope="col">Kinds</th>
            <th scope="col">Servers</th>
            <th scope="col" class="num">Attempts</th>
            <th scope="col">Seat went to</th>
            <th scope="col">Truly first</th>
            <th scope="col">Timeline</th>
          </tr>
        </thead>
        <tbody>
          @for (conflict of conflicts(); track conflict.id) {
            @let open = expanded().has(conflict.id);
            <tr
              class="row"
              [attr.data-conflict]="conflict.id"
              [attr.data-seat]="conflict.seat_id"
              (click)="toggle.emit(conflict.id)"
            >
              <td>
                <button
                  type="button"
                  class="expander"
                  [attr.aria-expanded]="open"
                  [attr.aria-controls]="'witness-' + conflict.id"
                  [attr.aria-label]="(open ? 'Hide' : 'Show') + ' the witness of seat ' + conflict.seat_id"
                  (click)="$event.stopPropagation(); toggle.emit(conflict.id)"
                >
                  {{ open ? '▾' : '▸' }}
                </button>
              </td>
              <td class="mono">{{ conflict.seat_id }}</td>
              <td>
                @for (kind of conflict.kinds; track kind) {
                  <span class="chip" [attr.data-kind]="kind">{{ kind }}</span>
                }
              </td>
              <td>{{ conflict.server_ids.join(', ') }}</td>
              <td class="mono num">{{ conflict.attempts_count }}</td>
              <td>
                {{ conflict.witness.authoritative.customer_name }}
                <small class="muted">{{ decidedBy(conflict.witness.authoritative.decided_by) }}</small>
              </td>
              <td>{{ conflict.witness.winners.truth.customer_name }}</td>
              <td>
                <a
                  [routerLink]="runId() ? ['/runs', runId()] : '/seats'"
                  [queryParams]="{ seat: conflict.seat_id }"
                  (click)="$event.stopPropagation()"
                  [attr.aria-label]="'Open the timeline of seat ' + conflict.seat_id"
                  data-testid="timeline-link"
                  >Open</a
                >
              </td>
            </tr>
            @if (open) {
              <tr class="detail" [id]="'witness-' + conflict.id">
                <td colspan="8">
                  <div class="detail-wrap"><lab-witness-table [witness]="conflict.witness" /></div>
                </td>
              </tr>
            }
          } @empty {
            <tr>
              <td colspan="8" class="muted">No conflicts match.</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    tr.row {
      cursor: pointer;
    }
    tr.row:hover td {
      background: var(--hover);
    }
    tr.detail > td {
      background: var(--surface-alt);
      padding: 8px 10px 12px;
    }
    /* The witness scrolls inside the row instead of widening the list (and pushing its last columns away). */
    .detail-wrap {
      width: 0;
      min-width: 100%;
    }
    .expander {
      padding: 0 6px;
      min-width: 2em;
    }
  `,
})
export class ConflictsTableComponent {
  readonly conflicts = input.required<readonly Conflict[]>();
  readonly expanded = input.required<ReadonlySet<string>>();
  /** '' for the live lab; a run or session id links to that run's timelines. */
  readonly runId = input('');
  readonly toggle = output<string>();
  protected readonly decidedBy = decidedByText;
}
