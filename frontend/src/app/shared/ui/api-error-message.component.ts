import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ApiError } from '../../core/api/api-error';

/** Shows an API failure in place, with its status, never swallowing it. */
@Component({
  selector: 'lab-api-error',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `@if (error(); as failure) {
    <div class="error" role="alert">
      <strong>{{
        failure.status === 0
          ? 'Backend unreachable'
          : failure.status === 404
            ? 'Not available (404)'
            : 'Error ' + failure.status
      }}</strong>
      @for (message of failure.messages; track $index) {
        <span>{{ message }}</span>
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
      color: var(--bad);
      border-radius: 4px;
      font-size: 12px;
      margin: 6px 0;
    }
  `,
})
export class ApiErrorMessageComponent {
  readonly error = input<ApiError | null>(null);
}
