import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  effect,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { OperatorSession, signInFailureMessage } from './operator-session';

/**
 * The operator's sign-in, a modal dialog opened by the header's button or by a
 * refused change. Cancelling leaves everything as it was.
 */
@Component({
  selector: 'lab-sign-in-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog #dialog aria-labelledby="sign-in-title" (cancel)="cancel($event)" data-testid="sign-in">
      <form (submit)="submit($event)" novalidate>
        <h2 id="sign-in-title">Operator sign-in</h2>
        @if (session.prompt(); as prompt) {
          <p class="reason">
            {{ prompt.reason }}
            {{ prompt.expired ? 'Your sign-in has expired: sign in again to go on.' : '' }}
          </p>
        }
        <label class="field">
          <span>User name</span>
          <input
            #user
            name="username"
            autocomplete="username"
            [value]="username()"
            (input)="username.set(user.value)"
          />
        </label>
        <label class="field">
          <span>Password</span>
          <input
            #pass
            name="password"
            type="password"
            autocomplete="current-password"
            [value]="password()"
            (input)="password.set(pass.value)"
          />
        </label>
        @if (failure(); as message) {
          <p class="failure" role="alert">{{ message }}</p>
        }
        <div class="actions">
          <button type="button" (click)="cancel()">Cancel</button>
          <button type="submit" class="primary" [disabled]="busy() || password() === ''">Sign in</button>
        </div>
      </form>
    </dialog>
  `,
  styles: `
    dialog {
      border: 1px solid var(--border-strong);
      border-radius: 8px;
      padding: 16px 18px;
      width: min(360px, calc(100vw - 32px));
      background: var(--surface);
      color: var(--text);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 45%);
    }
    form {
      display: grid;
      gap: 10px;
    }
    .reason {
      margin: 0;
    }
    .failure {
      margin: 0;
      color: var(--bad);
      font-weight: 600;
    }
    .actions {
      display: flex;
      gap: 8px;
      justify-content: flex-end;
    }
  `,
})
export class SignInDialogComponent {
  protected readonly session = inject(OperatorSession);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  protected readonly username = signal('operator');
  protected readonly password = signal('');
  protected readonly failure = signal<string | null>(null);
  protected readonly busy = signal(false);

  constructor() {
    effect(() => {
      const wanted = this.session.prompt() !== null;
      untracked(() => this.show(wanted));
    });
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    this.busy.set(true);
    this.failure.set(null);
    try {
      await this.session.signIn(this.username().trim(), this.password());
      this.password.set('');
    } catch (error) {
      this.failure.set(signInFailureMessage(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected cancel(event?: Event): void {
    event?.preventDefault();
    this.failure.set(null);
    this.password.set('');
    this.session.cancelSignIn();
  }

  private show(open: boolean): void {
    const dialog = this.dialog().nativeElement;
    if (open && !dialog.open) {
      // jsdom has no showModal; the attribute is what it renders.
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }
}
