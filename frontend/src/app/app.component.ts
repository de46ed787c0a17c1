import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { BackendHealth } from './core/live/backend-health.service';
import { LiveUpdates } from './core/live/live-updates.service';
import { LiveIndicatorComponent } from './shared/ui/live-indicator.component';

@Component({
  selector: 'lab-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, LiveIndicatorComponent],
  template: `
    <header class="topbar">
      <span class="brand">NTP Reservation Lab</span>
      <nav>
        @for (link of links; track link.path) {
          <a [routerLink]="link.path" routerLinkActive="active">{{ link.label }}</a>
        }
      </nav>
      <span class="spacer"></span>
      <a class="docs" href="/docs" target="_blank" rel="noopener">API docs</a>
      <lab-live-indicator [status]="live.status()" [detail]="live.statusDetail()" />
    </header>
    @if (health.state() === 'down' || health.state() === 'store-down') {
      <div class="outage" role="alert" data-testid="outage">
        <strong>{{ health.state() === 'down' ? 'Backend unreachable.' : 'Backend store unavailable.' }}</strong>
        @if (health.detail() && health.detail().toLowerCase() !== 'backend unreachable') {
          {{ health.detail() }} ·
        }
        The console retries by itself and refreshes when it returns.
      </div>
    }
    <main><router-outlet /></main>
  `,
})
export class AppComponent {
  protected readonly live = inject(LiveUpdates);
  protected readonly health = inject(BackendHealth);
  protected readonly links = [
    { path: '/seats', label: 'Seats' },
    { path: '/conflicts', label: 'Conflicts' },
    { path: '/ntp', label: 'NTP' },
    { path: '/simulation', label: 'Simulation' },
    { path: '/stats', label: 'Stats' },
  ];

  constructor() {
    this.live.start();
  }
}
