import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { clockTimeOf, formatCount } from '../../../shared/format';
import { ApiErrorMessageComponent } from '../../../shared/ui/api-error-message.component';
import { LabSessionsStore } from './lab-sessions.store';

/** Sessions of the experiment, each openable for replay and comparison, and the operator's reset. */
@Component({
  selector: 'lab-sessions',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorMessageComponent, RouterLink],
  providers: [LabSessionsStore],
  template: `
    <header class="panel-head">
      <h2 id="sessions-title">Lab sessions</h2>
      <span class="muted">a reset frees every seat for the next demo; earlier sessions stay in the log</span>
    </header>
    @if (store.step() === 'confirming' || store.step() === 'resetting') {
      <div
        class="confirm"
        role="alertdialog"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-text"
        data-testid="reset-confirm"
      >
        <h3 id="confirm-title">Reset the lab?</h3>
        <p id="confirm-text">
          Every seat becomes free and a new session starts with the clocks as configured. The current session and all
          its attempts stay in the log, to replay and compare; nothing is deleted.
        </p>
        <div class="actions">
          <button type="button" (click)="store.cancel()" [disabled]="store.step() === 'resetting'">Cancel</button>
          <button
            type="button"
            class="primary"
            (click)="store.confirmReset()"
            [disabled]="store.step() === 'resetting'"
            data-testid="confirm-reset"
          >
            Reset the lab
          </button>
        </div>
      </div>
    } @else {
      <button type="button" class="danger" (click)="store.askToReset()" data-testid="reset-lab">Reset the lab…</button>
    }
    @if (store.lastReset(); as reset) {
      <p class="ok" role="status" data-testid="reset-done">
        Started {{ reset.session_id }} at {{ clock(reset.started_at) }}; {{ reset.previous_session_id }} is kept:
        <a [routerLink]="['/runs', reset.previous_session_id]">open it</a>.
      </p>
    }
    <lab-api-error [error]="store.resetError()" />
    @if (store.unsupported()) {
      <p class="muted" data-testid="sessions-unsupported">This backend keeps no separate sessions yet.</p>
    } @else {
      <lab-api-error [error]="store.listError()" />
      @if (store.sessions().length > 0) {
        <div class="table-scroll">
          <table class="dense" data-testid="sessions">
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
                <th scope="col" class="num">Attempts</th>
                <th scope="col" class="num">Seats taken</th>
                <th scope="col"><span class="visually-hidden">Open</span></th>
              </tr>
            </thead>
            <tbody>
              @for (session of store.sessions(); track session.session_id) {
                <tr [attr.data-session]="session.session_id">
                  <th scope="row" class="mono">{{ session.session_id }}</th>
                  <td class="mono">{{ clock(session.started_at) }}</td>
                  <td class="mono">{{ session.ended_at === null ? 'current' : clock(session.ended_at) }}</td>
                  <td class="mono num">{{ count(session.attempts) }}</td>
                  <td class="mono num">{{ count(session.seats_taken) }}</td>
                  <td>
                    @if (session.ended_at !== null) {
                      <a [routerLink]="['/runs', session.session_id]">Open</a>
                    } @else {
                      <a routerLink="/seats">Seats</a>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    }
  `,
  styles: `
    :host {
      display: grid;
      gap: 8px;
      justify-items: start;
    }
    :host > * {
      max-width: 100%;
    }
    .confirm {
      border: 2px solid var(--bad);
      border-radius: 6px;
      padding: 8px 12px;
      background: var(--bad-bg);
    }
    .confirm h3 {
      margin: 0 0 4px;
      font-size: 1em;
    }
    .confirm p {
      margin: 0 0 8px;
    }
    .actions {
      display: flex;
      gap: 8px;
    }
    p {
      margin: 0;
    }
  `,
})
export class LabSessionsComponent {
  protected readonly store = inject(LabSessionsStore);
  protected readonly clock = clockTimeOf;
  protected readonly count = formatCount;
}
