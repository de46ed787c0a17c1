import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { InversionGuide } from './inversion-guide';

const GUIDE_HIDDEN_KEY = 'ntp-lab.guide-hidden';

function readHidden(): boolean {
  try {
    return globalThis.localStorage?.getItem(GUIDE_HIDDEN_KEY) === '1';
  } catch {
    return false;
  }
}

/** The first-run guide on the seats screen, and the narrated "Show me an inversion". */
@Component({
  selector: 'lab-guide-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    <section class="panel guide" aria-labelledby="guide-title" data-testid="guide">
      <header class="panel-head">
        <h2 id="guide-title">{{ hidden() ? 'The lesson in one click' : 'New here? The lesson in four steps' }}</h2>
        <button
          type="button"
          class="primary"
          (click)="guide.run()"
          [disabled]="guide.running()"
          data-testid="show-inversion"
        >
          Show me an inversion
        </button>
        <span class="hint">operator: applies a scenario and sends two reservations</span>
        <button type="button" class="link-button" (click)="setHidden(!hidden())">
          {{ hidden() ? 'Show the steps' : 'Hide the steps' }}
        </button>
      </header>
      @if (!hidden()) {
        <ol class="steps">
          <li>
            Skew the clocks: on <a routerLink="/simulation">Simulation</a>, apply <em>extreme_drift</em> (operator).
          </li>
          <li>
            Reserve a seat as Ana through the server whose clock is furthest ahead (the booking-server list shows each
            clock's offset), then as Bob through the one furthest behind.
          </li>
          <li>Click the seat: on its timeline the server-clock line crosses the NTP-corrected and true ones.</li>
          <li>
            <a routerLink="/conflicts">Conflicts</a> lists every such case with its witness;
            <a routerLink="/stats">Stats</a> scores each ordering against the truth.
          </li>
        </ol>
      }
      @if (guide.steps().length > 0) {
        <ol class="narration" aria-live="polite" data-testid="guide-narration">
          @for (step of guide.steps(); track $index) {
            <li [attr.data-state]="step.state">
              <span class="mark" aria-hidden="true">{{
                step.state === 'done' ? '✓' : step.state === 'failed' ? '✗' : '…'
              }}</span>
              {{ step.text }}
            </li>
          }
        </ol>
      }
    </section>
  `,
  styles: `
    .steps,
    .narration {
      margin: 0;
      padding-left: 1.4em;
      display: grid;
      gap: 2px;
    }
    .narration {
      list-style: none;
      padding-left: 0;
      margin-top: 8px;
      border-top: 1px solid var(--border);
      padding-top: 8px;
    }
    .narration .mark {
      display: inline-block;
      width: 1.2em;
      font-weight: 700;
    }
    .narration [data-state='failed'] {
      color: var(--bad);
    }
  `,
})
export class GuidePanelComponent {
  protected readonly guide = inject(InversionGuide);
  protected readonly hidden = signal(readHidden());

  protected setHidden(hidden: boolean): void {
    this.hidden.set(hidden);
    try {
      globalThis.localStorage?.setItem(GUIDE_HIDDEN_KEY, hidden ? '1' : '0');
    } catch {
      // storage refused: remembered for this page only
    }
  }
}
