import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { LabAlerts } from './lab-alerts.service';

/** The lab's current alerts under the header of every screen; each can be dismissed. */
@Component({
  selector: 'lab-alert-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    @if (alerts.visible().length > 0 || alerts.hiddenCount() > 0) {
      <section class="alert-bar" aria-label="Current alerts" data-testid="alert-bar">
        <ul>
          @for (alert of alerts.visible().slice(0, 3); track alert.id) {
            <li [attr.data-severity]="alert.severity" [attr.data-kind]="alert.kind">
              <span>{{ alert.message }}</span>
              @if (alert.seatId !== undefined) {
                <a routerLink="/seats" [queryParams]="{ seat: alert.seatId }">Seat {{ alert.seatId }} timeline</a>
              }
              <button
                type="button"
                class="link-button"
                [attr.aria-label]="'Dismiss: ' + alert.message"
                (click)="alerts.dismiss(alert.id)"
              >
                Dismiss
              </button>
            </li>
          }
        </ul>
        <p class="more">
          @if (alerts.visible().length > 3) {
            <a routerLink="/ntp">{{ alerts.visible().length - 3 }} more on the NTP screen</a>
          }
          @if (alerts.hiddenCount() > 0) {
            <button type="button" class="link-button" (click)="alerts.showDismissed()">
              Show {{ alerts.hiddenCount() }} dismissed
            </button>
          }
        </p>
      </section>
    }
  `,
  styles: `
    .alert-bar {
      padding: 4px 16px;
      background: var(--surface);
      border-bottom: 1px solid var(--border-strong);
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      align-items: center;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 2px;
      flex: 1;
      min-width: 0;
    }
    li {
      display: flex;
      flex-wrap: wrap;
      gap: 2px 12px;
      align-items: baseline;
      padding: 2px 8px;
      border-left: 4px solid var(--warn);
      color: var(--warn-text);
    }
    li[data-severity='critical'] {
      border-left-color: var(--bad);
      color: var(--bad-text);
    }
    .more {
      margin: 0;
      display: flex;
      gap: 12px;
    }
  `,
})
export class AlertBarComponent {
  protected readonly alerts = inject(LabAlerts);
}
