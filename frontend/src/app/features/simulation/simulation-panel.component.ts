import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { OperatorNoticeComponent } from '../../core/auth/operator-notice.component';
import { formatCount } from '../../shared/format';
import { ApiErrorMessageComponent } from '../../shared/ui/api-error-message.component';
import { ProgressBarComponent } from '../../shared/ui/progress-bar.component';
import { ClockDraft, NUMERIC_CLOCK_FIELDS, NumericClockField, clockChangeOf } from './clock-draft';
import { clockSourceOf } from './clock-source';
import { ScenarioRunsComponent } from './runs/scenario-runs.component';
import { LabSessionsComponent } from './sessions/lab-sessions.component';
import { SimulationStore } from './simulation.store';

/** The backend's seed when none is given (POST …/apply without ?seed). */
export const DEFAULT_SCENARIO_SEED = 1;

@Component({
  selector: 'lab-simulation-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ApiErrorMessageComponent,
    ProgressBarComponent,
    ScenarioRunsComponent,
    LabSessionsComponent,
    OperatorNoticeComponent,
  ],
  providers: [SimulationStore],
  templateUrl: './simulation-panel.component.html',
  styles: `
    :host {
      display: grid;
      gap: 12px;
    }
    .grid2 {
      display: grid;
      grid-template-columns: minmax(0, 2fr) minmax(0, 1fr);
      gap: 12px;
      align-items: start;
    }
    td input[type='text'] {
      width: 6em;
    }
    .row-error {
      color: var(--bad);
    }
    .stack {
      display: grid;
      gap: 8px;
    }
    .stack p {
      margin: 0;
    }
    .scenario-desc {
      color: var(--muted);
      min-height: 2.5em;
    }
    .inline {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: end;
    }
    .inline input[name='seed'] {
      width: 7em;
    }
    .replay {
      margin-top: 12px;
    }
    @media (max-width: 1000px) {
      .grid2 {
        grid-template-columns: minmax(0, 1fr);
      }
    }
  `,
})
export class SimulationPanelComponent {
  protected readonly store = inject(SimulationStore);
  protected readonly fields = NUMERIC_CLOCK_FIELDS;
  protected readonly defaultSeed = DEFAULT_SCENARIO_SEED;
  protected readonly count = formatCount;
  private readonly drafts = signal<Record<string, ClockDraft>>({});
  protected readonly rowErrors = signal<Record<string, string>>({});
  protected readonly scenarioName = signal('');
  protected readonly seed = signal('');
  protected readonly source = computed(() => clockSourceOf(this.store.clocks()));
  protected readonly sourceLine = computed(() => {
    const source = this.source();
    if (source.kind === 'scenario')
      return source.seed === null ? source.scenario : `${source.scenario}, seed ${source.seed}`;
    if (source.kind === 'edited') return source.since ? `edited by hand (after ${source.since})` : 'edited by hand';
    return 'loading…';
  });

  /** The user's pick, else the scenario every clock comes from, else none: never a scenario that is not in force. */
  protected readonly selectedScenario = computed(() => {
    const source = this.source();
    const chosen = this.scenarioName() || (source.kind === 'scenario' ? source.scenario : '');
    return this.store.scenarios().find((scenario) => scenario.name === chosen) ?? null;
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
    // A refused save keeps the draft, so nothing typed is lost (e.g. while the operator signs in again).
    if (Object.keys(change).length > 0 && !(await this.store.saveClock(serverId, change))) return;
    this.drafts.update(({ [serverId]: _dropped, ...rest }) => rest);
    if (this.source().kind === 'edited') this.scenarioName.set('');
  }

  protected async apply(): Promise<void> {
    const scenario = this.selectedScenario();
    if (!scenario) return;
    const seedText = this.seed().trim();
    const seed = seedText === '' || !Number.isInteger(Number(seedText)) ? undefined : Number(seedText);
    this.drafts.set({});
    await this.store.applyScenario(scenario.name, seed);
    this.scenarioName.set('');
  }
}
