import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { ApiCallError, toApiError } from '../../../core/api/api-error';
import type { ScenarioRun, ScenarioRunReport } from '../../../core/api/api-types';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../../../../testing/fake-lab-api';
import { ScenarioRunsComponent } from './scenario-runs.component';

const perStrategy = (server_clock: number, ntp_corrected: number) => ({
  server_clock,
  ntp_corrected,
  log_order: ntp_corrected,
  hlc: server_clock,
  truth: 20,
});

const report: ScenarioRunReport = {
  attempts: 80,
  seats_with_attempts: 20,
  settled_seats: 20,
  contended_seats: 20,
  conflicts: { contention: 20, inversion: 16, ambiguous: 4 },
  accuracy: { server_clock: 0.2, ntp_corrected: 1, log_order: 1, hlc: 0.2, truth: 1 },
  correct_seats: perStrategy(4, 20),
  authority: { seats: 20, correct: 18, accuracy: 0.9 },
  wrong_holders: { ambiguous: 2, bound_violation: 0, late_arrival: 0, unexplained: 0 },
  servers: [],
  wrong_seats: { server_clock: 16, ntp_corrected: 0, log_order: 0, hlc: 16, truth: 0 },
  wrong_seats_per_10k_attempts: { server_clock: 2000, ntp_corrected: 0, log_order: 0, hlc: 2000, truth: 0 },
  inversions_per_10k_attempts: 2000,
  worst_inversion: null,
  read_model_matches_run: true,
};

function run(status: ScenarioRun['status'], progress: number): ScenarioRun {
  return {
    id: 'r42',
    run_id: 'r42',
    status,
    phase: status === 'running' ? 'appending' : 'done',
    progress,
    total_attempts: 80,
    appended_attempts: Math.round(progress * 80),
    started_at: '2025-01-01T12:00:00.000Z',
    finished_at: status === 'running' ? null : '2025-01-01T12:00:01.000Z',
    append_ms: status === 'running' ? null : 600,
    projection_ms: status === 'running' ? null : 400,
    error: null,
    generator_version: status === 'queued' ? null : 3,
    parameters: {
      scenario: 'major_drift',
      seed: 42,
      seats: 20,
      attempts_per_seat: 4,
      spread_ms: 500,
      servers: 5,
      seat_interval_ms: 1000,
      conflict_window_ms: 2000,
      sync_interval_ms: 60_000,
      start_reference_ms: Date.UTC(2025, 0, 1),
      overrides: {},
    },
    clocks: [],
    report: status === 'completed' ? report : null,
  };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ScenarioRunsComponent', () => {
  let api: FakeLabApi;

  beforeEach(() => {
    api = fakeLabApi();
    api.scenarioRuns.mockResolvedValue({ items: [], total: 0 });
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api)] });
  });

  async function render() {
    const fixture = TestBed.createComponent(ScenarioRunsComponent);
    fixture.componentRef.setInput('scenarios', [
      { name: 'minor_drift', description: '' },
      { name: 'major_drift', description: '' },
    ]);
    await settle(fixture);
    const element: HTMLElement = fixture.nativeElement;
    const type = (name: string, value: string) => {
      const input = element.querySelector<HTMLInputElement>(`input[name=${name}]`)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    const start = async () => {
      element.querySelector<HTMLButtonElement>('[data-testid=start-run]')!.click();
      await settle(fixture);
    };
    return { fixture, element, type, start };
  }

  it('follows a run the backend has only queued until it completes', async () => {
    api.startScenarioRun.mockResolvedValue({ ...run('queued', 0), phase: 'queued', finished_at: null });
    api.scenarioRun.mockResolvedValue(run('completed', 1));
    const { fixture, element, type, start } = await render();
    type('run_seed', '42');
    type('run_seats', '20');
    type('run_attempts_per_seat', '4');
    type('run_spread_ms', '500');
    await start();
    expect(element.querySelector('[data-testid=run]')?.getAttribute('data-status')).toBe('queued');
    // Not started yet: no generator has made its events.
    expect(element.querySelector('[data-testid=run-status]')?.textContent).not.toContain('generator');
    expect(element.querySelector<HTMLButtonElement>('[data-testid=start-run]')!.disabled).toBe(true);
    const status = () => element.querySelector('[data-testid=run]')?.getAttribute('data-status');
    for (let waited = 0; status() !== 'completed' && waited < 5000; waited += 100) {
      await wait(100);
      await settle(fixture, 1);
    }
    expect(api.scenarioRun).toHaveBeenCalledWith('r42');
    expect(status()).toBe('completed');
  });

  it('starts a seeded run with the typed parameters, follows its progress and shows each strategy’s accuracy', async () => {
    api.startScenarioRun.mockResolvedValue(run('running', 0.25));
    api.scenarioRun.mockResolvedValue(run('completed', 1));
    const { fixture, element, type, start } = await render();
    type('run_seed', '42');
    type('run_seats', '20');
    type('run_attempts_per_seat', '4');
    type('run_spread_ms', '500');
    await start();

    expect(api.startScenarioRun).toHaveBeenCalledWith({
      scenario: 'major_drift',
      seed: 42,
      seats: 20,
      attempts_per_seat: 4,
      spread_ms: 500,
    });
    expect(element.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')).toBe('25');
    expect(element.querySelector<HTMLButtonElement>('[data-testid=start-run]')!.disabled).toBe(true);

    // Polled every 400 ms: wait for the completed answer (a loaded machine may need more than one poll's time).
    const status = () => element.querySelector('[data-testid=run]')?.getAttribute('data-status');
    for (let waited = 0; status() !== 'completed' && waited < 5000; waited += 100) {
      await wait(100);
      await settle(fixture, 1);
    }
    expect(api.scenarioRun).toHaveBeenCalledWith('r42');
    expect(element.querySelector('[data-testid=run]')?.getAttribute('data-status')).toBe('completed');
    expect(element.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')).toBe('100');
    const rows = [...element.querySelectorAll('[data-testid=run-report] tbody tr')].map((row) => [
      row.getAttribute('data-strategy'),
      row.querySelectorAll('td')[0].textContent?.trim(),
      row.querySelectorAll('td')[2].textContent?.trim(),
    ]);
    expect(rows).toEqual([
      ['server_clock', '20%', '16'],
      ['ntp_corrected', '100%', '0'],
      ['log_order', '100%', '0'],
      ['hlc', '20%', '16'],
      ['truth', '100%', '0'],
    ]);
    expect(element.querySelector('[data-kpi=run-inversions]')?.textContent?.trim()).toBe('16');
    expect(element.querySelector('[data-testid=run-status]')?.textContent).toContain('(generator v3)');
    // Its inversions open: the run's conflicts and timelines, filtered by run_id.
    expect(element.querySelector('[data-testid=open-run-inversions]')?.getAttribute('href')).toBe(
      '/runs/r42?kind=inversion',
    );
    expect(element.querySelector('[data-testid=run-report] tr[data-strategy=hlc] th')?.textContent).toBe(
      'Hybrid logical clock',
    );
  });

  it('refuses parameters the backend would refuse, beside the field, without calling it', async () => {
    const { element, type, start } = await render();
    type('run_seats', '1000');
    type('run_attempts_per_seat', '1000');
    type('run_seed', '-1');
    await start();
    expect(api.startScenarioRun).not.toHaveBeenCalled();
    expect(element.querySelector('[data-field=attempts_per_seat]')?.textContent).toContain('at most 200000');
    expect(element.querySelector('[data-field=seed]')?.textContent).toContain('between 0 and 4294967295');
  });

  it('shows the API’s message beside the field it names', async () => {
    api.startScenarioRun.mockRejectedValue(
      new ApiCallError(
        toApiError(
          new HttpErrorResponse({
            status: 400,
            error: { statusCode: 400, message: ['spread_ms must be at most 60000'] },
          }),
        ),
      ),
    );
    const { element, type, start } = await render();
    type('run_spread_ms', '90000');
    await start();
    expect(element.querySelector('[data-field=spread_ms]')?.textContent).toContain('Spread must be at most 60000');
  });

  it('shows the newest run on arrival and stops following it once destroyed', async () => {
    api.scenarioRuns.mockResolvedValue({ items: [run('running', 0.5)], total: 1 });
    api.scenarioRun.mockResolvedValue(run('running', 0.6));
    const { fixture, element } = await render();
    expect(element.querySelector('[data-testid=run-status]')?.textContent).toContain('r42');
    fixture.destroy();
    await wait(500);
    expect(api.scenarioRun).not.toHaveBeenCalled();
  });
});
