import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { ApiErrorMessageComponent } from '../../shared/ui/api-error-message.component';
import { ProgressBarComponent } from '../../shared/ui/progress-bar.component';
import { ClockDraft, NUMERIC_CLOCK_FIELDS, NumericClockField, clockChangeOf } from './clock-draft';
import { ScenarioRunsComponent } from './runs/scenario-runs.component';
import { SimulationStore } from './simulation.store';

@Component({
  selector: 'lab-simulation-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorMessageComponent, ProgressBarComponent, ScenarioRunsComponent],
  providers: [SimulationStore],
  templateUrl: './simulation-panel.component.html',
  styles: `
    .grid2 {
      display: grid;
      grid-template-columns: minmax(0, 2fr) minmax(0, 1fr);
      gap: 12px;
      align-items: start;
    }
    td input[type='text'] {
      width: 80px;
    }
    .row-error {
      color: var(--bad);
      font-size: 12px;
    }
    .scenario {
      display: grid;
      gap: 8px;
    }
    .scenario-desc {
      font-size: 12px;
      color: var(--muted);
      min-height: 2.5em;
    }
    .scenario p,
    .replay p {
      margin: 0;
    }
    .replay .panel-head {
      margin-bottom: 0;
    }
    .inline {
      display: flex;
      gap: 8px;
      align-items: end;
    }
    .replay {
      display: grid;
      gap: 8px;
      margin-top: 12px;
    }
    .runs {
      margin-top: 12px;
    }
    @media (max-width: 1000px) {
      .grid2 {
        grid-template-columns: 1fr;
      }
    }
  `,
})
export class SimulationPanelComponent {
  protected readonly store = inject(SimulationStore);
  protected readonly fields = NUMERIC_CLOCK_FIELDS;

  private readonly drafts = signal<Record<string, ClockDraft>>({});
  protected readonly rowErrors = signal<Record<string, string>>({});
  protected readonly scenarioName = signal('');
  protected readonly seed = signal('');
  protected readonly selectedScenario = computed(() => {
    const scenarios = this.store.scenarios();
    // Until the user picks one, show the scenario the clocks come from (if they share one).
    const chosen = this.scenarioName() || this.appliedScenario();
    return scenarios.find((scenario) => scenario.name === chosen) ?? scenarios.at(0) ?? null;
  });
  private readonly appliedScenario = computed(() => {
    const names = new Set(this.store.clocks().map((clock) => (clock.source === 'scenario' ? clock.scenario : null)));
    const [only] = names;
    return names.size === 1 && only ? only : '';
  });

  protected draftValue(serverId: string, field: NumericClockField, current: number): string {
    return this.drafts()[serverId]?.[field] ?? String(current);
  }

  protected edit(serverId: string, field: NumericClockField, text: string): void {
    this.drafts.update((drafts) => ({ ...drafts, [serverId]: { ...drafts[serverId], [field]: text } }));
  }

  protected editNeverSyncs(serverId: string, value: boolean): void {
    this.drafts.update((drafts) => ({ ...drafts, [serverId]: { ...drafts[serverId], never_syncs: value } }));
  }

  /** A local parse error, else what the API answered to the last save. */
  protected rowError(serverId: string): string | null {
    const local: string | undefined = this.rowErrors()[serverId];
    const fromApi: { messages: string[] } | undefined = this.store.saveErrors()[serverId];
    return local ?? fromApi?.messages.join('; ') ?? null;
  }

  protected isDirty(serverId: string): boolean {
    return this.drafts()[serverId] !== undefined;
  }

  protected async save(serverId: string): Promise<void> {
    const current = this.store.clocks().find((clock) => clock.server_id === serverId);
    const draft = this.drafts()[serverId];
    if (!current || !draft) return;
    const change = clockChangeOf(current, draft);
    if (typeof change === 'string') {
      this.rowErrors.update((errors) => ({ ...errors, [serverId]: change }));
      return;
    }
    this.rowErrors.update(({ [serverId]: _dropped, ...rest }) => rest);
    if (Object.keys(change).length > 0) await this.store.saveClock(serverId, change);
    this.drafts.update(({ [serverId]: _dropped, ...rest }) => rest);
  }

  protected async apply(): Promise<void> {
    const scenario = this.selectedScenario();
    if (!scenario) return;
    const seedText = this.seed().trim();
    const seed = seedText === '' || !Number.isInteger(Number(seedText)) ? undefined : Number(seedText);
    this.drafts.set({});
    await this.store.applyScenario(scenario.name, seed);
  }
}
