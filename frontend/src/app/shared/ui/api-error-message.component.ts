import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, untracked } from '@angular/core';
import { ApiError, isUnreachable } from '../../core/api/api-error';
import { BackendHealth } from '../../core/live/backend-health.service';
import { plainMessage } from '../field-labels';

function titleOf(status: number): string {
  if (status === 0 || status === 502 || status === 504) return 'Backend unreachable';
  if (status === 404) return 'Not available on this backend (404)';
  if (status === 400) return 'Not accepted';
  if (status === 401 || status === 403) return 'For the operator only';
  if (status === 429) return 'Too many requests';
  if (status === 503) return 'Store unavailable';
  return status > 0 ? `Error ${status}` : 'Error';
}

/**
 * Shows an API failure in place, in plain words, never swallowing it. An
 * "unreachable" failure clears by itself once the backend is back: it is no
 * longer true, and the screen has reloaded.
 */
@Component({
  selector: 'lab-api-error',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `@if (shown(); as failure) {
    <div class="error" role="alert">
      <strong>{{ title(failure) }}</strong>
      @for (message of failure.messages; track $index) {
        <span>{{ plain(message) }}</span>
      }
    </div>
  }`,
  styles: `
    .error {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 10px;
      padding: 6px 10px;
      border: 1px solid var(--bad-border);
      background: var(--bad-bg);
      color: var(--bad-text);
      border-radius: 4px;
      margin: 6px 0;
    }
  `,
})
export class ApiErrorMessageComponent {
  private readonly health = inject(BackendHealth);
  readonly error = input<ApiError | null>(null);
  private readonly recoveriesWhenShown = linkedSignal({
    source: this.error,
    computation: () => untracked(this.health.recoveries),
  });
  protected readonly shown = computed(() => {
    const error = this.error();
    if (!error) return null;
    const recoveredSince = this.health.recoveries() > this.recoveriesWhenShown();
    return isUnreachable(error) && recoveredSince ? null : error;
  });
  protected readonly title = (error: ApiError) => titleOf(error.status);
  protected readonly plain = plainMessage;
}
