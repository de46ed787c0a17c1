import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiError, apiErrorOf } from '../../../core/api/api-error';
import { LabApi } from '../../../core/api/lab-api.service';
import type { LabResetResponse } from '../../../core/api/api-types';
import { OperatorSession } from '../../../core/auth/operator-session';
import { LiveUpdates } from '../../../core/live/live-updates.service';
import { liveResource } from '../../../core/live/live-resource';

export type ResetStep = 'idle' | 'confirming' | 'resetting';

/**
 * Sessions of the experiment and the operator's lab reset: a reset starts a
 * new session (seats free again, clocks as configured) and keeps the old one
 * in the log, readable with run_id=<session id>.
 */
@Injectable()
export class LabSessionsStore {
  private readonly api = inject(LabApi);
  private readonly live = inject(LiveUpdates);
  private readonly operator = inject(OperatorSession);

  private readonly list = liveResource({
    reloadOn: ['seat'],
    load: (_none: undefined, abort) => this.api.labSessions(abort),
  });
  readonly sessions = computed(() => this.list.value()?.items ?? []);
  readonly listError = this.list.error;
  /** The backend has no sessions endpoint yet (404): the panel says so instead of an error. */
  readonly unsupported = computed(() => this.listError()?.status === 404);

  readonly step = signal<ResetStep>('idle');
  readonly lastReset = signal<LabResetResponse | null>(null);
  readonly resetError = signal<ApiError | null>(null);

  /** Behind the operator's sign-in, then a confirmation: a reset is not undone by a click. */
  async askToReset(): Promise<void> {
    this.resetError.set(null);
    if (!this.operator.signedIn() && !(await this.operator.requestSignIn('Resetting the lab is for the operator.'))) {
      return;
    }
    this.step.set('confirming');
  }

  cancel(): void {
    this.step.set('idle');
  }

  async confirmReset(): Promise<void> {
    this.step.set('resetting');
    try {
      this.lastReset.set(await this.api.resetLab());
      this.resetError.set(null);
    } catch (error) {
      this.resetError.set(apiErrorOf(error));
    } finally {
      this.step.set('idle');
    }
    this.list.reload();
    this.live.refreshAll();
  }
}
