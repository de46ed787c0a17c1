import { TestBed } from '@angular/core/testing';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../../../testing/fake-lab-api';
import { serverClock } from '../../../testing/fixtures';
import { SimulationPanelComponent } from './simulation-panel.component';

const clock = (serverId: string, offset: number) =>
  serverClock(serverId, { offset_ms: offset, outbound_delay_ms: 5, inbound_delay_ms: 5 });
const job = (status: 'running' | 'completed', progress: number) => ({
  id: 'job-1',
  run_id: null,
  status,
  processed_events: Math.round(progress * 40),
  progress,
  position: String(progress * 40),
  head_position: '40',
  started_at: '2025-01-01T12:00:00Z',
  finished_at: null,
  error: null,
});

describe('SimulationPanelComponent', () => {
  let api: FakeLabApi;

  beforeEach(() => {
    api = fakeLabApi();
    api.serverClocks.mockResolvedValue([clock('server-1', 0), clock('server-2', 20)]);
    api.scenarios.mockResolvedValue([
      { name: 'minor_drift', description: 'a few ms' },
      { name: 'extreme_drift', description: 'seconds apart' },
    ]);
    api.changeServerClock.mockImplementation((serverId: string) => Promise.resolve(clock(serverId, 0)));
    api.applyScenario.mockResolvedValue({ scenario: 'extreme_drift', seed: 42, servers: [] });
    api.scenarioRuns.mockResolvedValue({ items: [], total: 0 });
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api)] });
  });

  async function render() {
    const fixture = TestBed.createComponent(SimulationPanelComponent);
    await settle(fixture);
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('sends only the changed clock fields of a row', async () => {
    const { fixture, element } = await render();
    const offset = element.querySelector<HTMLInputElement>('tr[data-server=server-2] input[name=offset_ms]')!;
    offset.value = '-150';
    offset.dispatchEvent(new Event('input'));
    const drift = element.querySelector<HTMLInputElement>('tr[data-server=server-2] input[name=drift_ppm]')!;
    drift.value = '0';
    drift.dispatchEvent(new Event('input'));
    await settle(fixture);
    element.querySelector<HTMLButtonElement>('tr[data-server=server-2] button')!.click();
    await settle(fixture);
    expect(api.changeServerClock).toHaveBeenCalledWith('server-2', { offset_ms: -150 });
  });

  it('refuses a non-numeric value in the row instead of sending it', async () => {
    const { fixture, element } = await render();
    const jitter = element.querySelector<HTMLInputElement>('tr[data-server=server-1] input[name=jitter_ms]')!;
    jitter.value = 'lots';
    jitter.dispatchEvent(new Event('input'));
    await settle(fixture);
    element.querySelector<HTMLButtonElement>('tr[data-server=server-1] button')!.click();
    await settle(fixture);
    expect(api.changeServerClock).not.toHaveBeenCalled();
    expect(element.querySelector('.row-error')?.textContent).toContain('Jitter must be a number');
  });

  it('applies the chosen scenario with its seed', async () => {
    const { fixture, element } = await render();
    const select = element.querySelector<HTMLSelectElement>('select[name=scenario]')!;
    select.value = 'extreme_drift';
    select.dispatchEvent(new Event('change'));
    const seed = element.querySelector<HTMLInputElement>('input[name=seed]')!;
    seed.value = '42';
    seed.dispatchEvent(new Event('input'));
    await settle(fixture);
    expect(element.querySelector('.scenario-desc')?.textContent).toContain('seconds apart');
    element.querySelector<HTMLButtonElement>('[data-testid=apply-scenario]')!.click();
    await settle(fixture);
    expect(api.applyScenario).toHaveBeenCalledWith('extreme_drift', 42);
    expect(element.textContent).toContain('Applied extreme_drift (seed 42)');
  });

  it('is honest about the seed it applies when the box is empty', async () => {
    const { element } = await render();
    expect(element.querySelector<HTMLInputElement>('input[name=seed]')!.placeholder).toBe('1 (default)');
    expect(element.querySelector('#seed-hint')?.textContent).toContain('Empty seed = 1');
  });

  it('after a hand edit, names no scenario rather than one that is not in force', async () => {
    api.serverClocks.mockResolvedValue([
      serverClock('server-1', { source: 'scenario', scenario: 'extreme_drift', seed: 1 }),
      serverClock('server-2', { source: 'manual', scenario: 'extreme_drift', seed: 1, offset_ms: 23_000 }),
    ]);
    const { element } = await render();
    expect(element.querySelector<HTMLSelectElement>('select[name=scenario]')!.value).toBe('');
    expect(element.querySelector('[data-testid=clock-source]')?.textContent).toContain(
      'edited by hand (after extreme_drift)',
    );
    expect(element.querySelector<HTMLButtonElement>('[data-testid=apply-scenario]')!.disabled).toBe(true);
  });

  it('labels every clock input and says the controls are the operator’s', async () => {
    const { element } = await render();
    const unlabelled = [...element.querySelectorAll('tbody input')].filter(
      (input) => !input.getAttribute('aria-label'),
    );
    expect(unlabelled).toEqual([]);
    expect(element.querySelector('tr[data-server=server-2] input[name=offset_ms]')?.getAttribute('aria-label')).toBe(
      'Offset of server-2 (ms)',
    );
    expect(element.querySelector('[data-testid=operator-notice]')?.textContent).toContain('Sign in to change clocks');
  });

  it('preselects the scenario the clocks were last set from', async () => {
    api.serverClocks.mockResolvedValue(
      ['server-1', 'server-2'].map((id) => serverClock(id, { source: 'scenario', scenario: 'extreme_drift', seed: 1 })),
    );
    const { element } = await render();
    expect(element.querySelector<HTMLSelectElement>('select[name=scenario]')!.value).toBe('extreme_drift');
  });

  it('follows a replay with its progress bar until it completes', async () => {
    api.startReplay.mockResolvedValue(job('running', 0.25));
    api.replay.mockResolvedValueOnce(job('running', 0.5)).mockResolvedValue(job('completed', 1));
    const { fixture, element } = await render();
    element.querySelector<HTMLButtonElement>('[data-testid=start-replay]')!.click();
    await settle(fixture);
    expect(element.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')).toBe('25');
    // Polled every 300 ms: wait for the completed answer (a loaded machine may need more than two polls' time).
    const status = () => element.querySelector('[data-testid=replay-status]')?.getAttribute('data-status');
    for (let waited = 0; status() !== 'completed' && waited < 5000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await settle(fixture, 1);
    }
    expect(status()).toBe('completed');
    // Events replayed, not raw log positions.
    expect(element.querySelector('[data-testid=replay-status]')?.textContent).toContain('Done: 40 events replayed');
    expect(element.querySelector('[role=progressbar]')?.getAttribute('aria-label')).toBe('Replay progress');
    expect(element.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')).toBe('100');
  });

  it('reports endpoints the backend does not have yet', async () => {
    const { ApiCallError } = await import('../../core/api/api-error');
    api.serverClocks.mockRejectedValue(
      new ApiCallError({ status: 404, messages: ['Cannot GET /api/simulation/offsets'], fieldErrors: {} }),
    );
    const { element } = await render();
    expect(element.querySelector('[role=alert]')?.textContent).toContain('Not available on this backend (404)');
  });
});
