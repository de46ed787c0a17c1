import { PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Scenario, ScenarioRunStatus } from '../../../core/api/api-types';
import { plainMessage } from '../../../shared/field-labels';
import { clockTimeOf, formatCount, formatDecimal } from '../../../shared/format';
import { STRATEGIES } from '../../../shared/strategies';
import { ApiErrorMessageComponent } from '../../../shared/ui/api-error-message.component';
import { ProgressBarComponent } from '../../../shared/ui/progress-bar.component';
import { DEFAULT_RUN_FORM, RUN_FIELDS, RunField, RunFormText, parseRunForm } from './run-form';
import { ScenarioRunsStore } from './scenario-runs.store';

const FIELD_LABELS: Record<Exclude<RunField, 'scenario'>, { label: string; unit?: string }> = {
  seed: { label: 'Seed' },
  seats: { label: 'Seats' },
  attempts_per_seat: { label: 'Attempts / seat' },
  spread_ms: { label: 'Spread', unit: 'ms' },
};

const plainOrNull = (message: string | undefined): string | null => (message ? plainMessage(message) : null);

/** Seeded scenario runs: same seed and parameters, same events, same report. */
@Component({
  selector: 'lab-scenario-runs',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorMessageComponent, PercentPipe, ProgressBarComponent, RouterLink],
  providers: [ScenarioRunsStore],
  templateUrl: './scenario-runs.component.html',
  styleUrl: './scenario-runs.component.css',
})
export class ScenarioRunsComponent implements OnInit {
  /** The scenarios the backend offers (GET /api/simulation/scenarios). */
  readonly scenarios = input<readonly Scenario[]>([]);

  protected readonly store = inject(ScenarioRunsStore);
  protected readonly strategies = STRATEGIES;
  protected readonly count = formatCount;
  protected readonly decimal = formatDecimal;
  protected readonly clock = clockTimeOf;
  protected readonly numericFields = (Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]).map((key) => ({
    key,
    ...FIELD_LABELS[key],
  }));
  protected readonly form = signal<RunFormText>({ ...DEFAULT_RUN_FORM });
  private readonly localErrors = signal<Partial<Record<RunField, string>>>({});

  /** The local check first, else what the API said about the field. */
  protected readonly fieldErrors = computed(() => {
    const fromApi = this.store.error()?.fieldErrors ?? {};
    const local = this.localErrors();
    return Object.fromEntries(
      RUN_FIELDS.map((field) => [field, plainOrNull(local[field] ?? fromApi[field]?.join('; '))]),
    ) as Record<RunField, string | null>;
  });
  /** API failures that name no field (outage, 404, …) show above the form. */
  protected readonly generalError = computed(() => {
    const error = this.store.error();
    return error && Object.keys(error.fieldErrors).length === 0 ? error : null;
  });

  ngOnInit(): void {
    void this.store.loadLatest();
  }

  protected setField(field: RunField, value: string): void {
    this.form.update((form) => ({ ...form, [field]: value }));
  }

  protected async start(): Promise<void> {
    const parsed = parseRunForm(this.form());
    if (!parsed.ok) {
      this.localErrors.set(parsed.fieldErrors);
      return;
    }
    this.localErrors.set({});
    await this.store.start(parsed.request);
  }

  protected barState(status: ScenarioRunStatus): 'running' | 'completed' | 'failed' {
    if (status === 'queued') return 'running';
    return status === 'interrupted' ? 'failed' : status;
  }
}
