import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { OperatorSession } from './operator-session';

/**
 * Where a student looks before touching a control that changes the
 * experiment: says it is the operator's, and offers the sign-in.
 */
@Component({
  selector: 'lab-operator-notice',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (session.signedIn()) {
      <p class="notice signed-in" data-testid="operator-notice" data-signed-in="true">
        Signed in as operator.
        <button type="button" class="link-button" (click)="session.signOut()">Sign out</button>
      </p>
    } @else {
      <p class="notice" data-testid="operator-notice" data-signed-in="false">
        {{ what() }} is for the operator.
        <button type="button" class="link-button" (click)="signIn()">Sign in to {{ verb() }}</button>
      </p>
    }
  `,
  styles: `
    .notice {
      margin: 0;
      padding: 6px 10px;
      border-radius: 4px;
      border: 1px solid var(--border-strong);
      background: var(--surface-alt);
      display: flex;
      flex-wrap: wrap;
      gap: 4px 10px;
      align-items: baseline;
    }
  `,
})
export class OperatorNoticeComponent {
  protected readonly session = inject(OperatorSession);
  /** "Changing clocks": what needs the operator. */
  readonly what = input('Changing clocks');
  /** "change clocks": the same, after "Sign in to". */
  readonly verb = input('change clocks');

  protected signIn(): void {
    void this.session.requestSignIn(`${this.what()} is for the operator.`);
  }
}
