import { ChangeDetectionStrategy, Component, ElementRef, inject, viewChild } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AlertBarComponent } from './core/alerts/alert-bar.component';
import { OperatorSession } from './core/auth/operator-session';
import { SignInDialogComponent } from './core/auth/sign-in-dialog.component';
import { BackendHealth } from './core/live/backend-health.service';
import { LiveUpdates } from './core/live/live-updates.service';
import { ThemeService } from './core/theme/theme.service';
import { LiveIndicatorComponent } from './shared/ui/live-indicator.component';

@Component({
  selector: 'lab-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    LiveIndicatorComponent,
    AlertBarComponent,
    SignInDialogComponent,
  ],
  template: `
    <a class="skip-link" href="#main" (click)="skipToContent($event)">Skip to content</a>
    <header class="topbar">
      <span class="brand">NTP Reservation Lab</span>
      <nav aria-label="Screens">
        <ul>
          @for (link of links; track link.path) {
            <li>
              <a [routerLink]="link.path" routerLinkActive="active" ariaCurrentWhenActive="page">{{ link.label }}</a>
            </li>
          }
        </ul>
      </nav>
      <span class="spacer"></span>
      <div class="tools">
        <button
          type="button"
          class="toggle"
          [attr.aria-pressed]="theme.theme() === 'projector'"
          (click)="theme.toggle()"
          data-testid="projector-toggle"
        >
          Projector mode
        </button>
        @if (operator.signedIn()) {
          <button type="button" class="link-button" (click)="operator.signOut()" data-testid="sign-out">
            Operator · sign out
          </button>
        } @else {
          <button type="button" class="link-button" (click)="signIn()" data-testid="open-sign-in">
            Operator sign-in
          </button>
        }
        <a href="/docs" target="_blank" rel="noopener">API docs</a>
        <lab-live-indicator [status]="live.status()" [detail]="live.statusDetail()" />
      </div>
    </header>
    @if (health.state() === 'down' || health.state() === 'store-down') {
      <div class="outage" role="alert" data-testid="outage">
        <strong>{{ health.state() === 'down' ? 'Backend unreachable.' : 'Backend store unavailable.' }}</strong>
        The console retries by itself and refreshes when it returns.
      </div>
    }
    <lab-alert-bar />
    <main id="main" tabindex="-1" #main><router-outlet /></main>
    <lab-sign-in-dialog />
  `,
})
export class AppComponent {
  protected readonly live = inject(LiveUpdates);
  protected readonly health = inject(BackendHealth);
  protected readonly theme = inject(ThemeService);
  protected readonly operator = inject(OperatorSession);
  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');
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

  /** A fragment link would be a route change here; moving focus is what a skip link is for. */
  protected skipToContent(event: Event): void {
    event.preventDefault();
    this.main().nativeElement.focus();
  }

  protected signIn(): void {
    void this.operator.requestSignIn('Changing clocks, scenarios, replays, runs and sessions is for the operator.');
  }
}
