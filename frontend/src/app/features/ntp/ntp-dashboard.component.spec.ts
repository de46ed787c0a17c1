import { TestBed } from '@angular/core/testing';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../../../testing/fake-lab-api';
import { T0, inversionConflict, serverClock, syncEntry, timeStatus } from '../../../testing/fixtures';
import { NtpDashboardComponent } from './ntp-dashboard.component';

describe('NtpDashboardComponent', () => {
  let api: FakeLabApi;

  beforeEach(() => {
    sessionStorage.clear();
    api = fakeLabApi();
    api.timeStatus.mockResolvedValue([
      timeStatus('server-1', {
        reference_time_ms: T0 + 5000,
        true_offset_ms: 250.5,
        configured: serverClock('server-1', { offset_ms: 250, drift_ppm: 100 }),
      }),
      timeStatus('server-2', { is_synchronized: false, estimated_offset_ms: null, error_bound_ms: null }),
    ]);
    api.clockHistory.mockResolvedValue([
      syncEntry('server-1', T0 - 60_000, {
        kind: 'configured',
        estimated_offset_ms: null,
        error_bound_ms: null,
        offset_ms: null,
        delay_ms: null,
        drift_ppm: 100,
        true_offset_ms: 250,
        scenario: 'major_drift',
      }),
      syncEntry('server-1', T0, { true_offset_ms: 250 }),
    ]);
    api.conflicts.mockResolvedValue({ items: [inversionConflict()], total: 1, limit: 10, offset: 0 });
    api.forceSync.mockResolvedValue({ offset_ms: 1 });
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api)] });
  });

  async function render() {
    const fixture = TestBed.createComponent(NtpDashboardComponent);
    await settle(fixture);
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('shows each server sync state and the alerts, which can be dismissed', async () => {
    const { fixture, element } = await render();
    expect(element.querySelector('h1')?.textContent).toBe('NTP');
    expect(element.querySelector('tr[data-server=server-1] [data-sync]')?.textContent).toBe('synced');
    expect(element.querySelector('tr[data-server=server-2] [data-sync]')?.textContent).toBe('unsynced');
    const kinds = () =>
      [...element.querySelectorAll('[data-testid=alerts] li')].map((li) => li.getAttribute('data-kind'));
    expect(kinds()).toEqual(['unsynced', 'inversion']);
    expect(api.conflicts).toHaveBeenCalledWith({ kind: 'inversion', limit: 10 }, expect.any(AbortSignal));
    element.querySelector<HTMLButtonElement>('[data-testid=alerts] li[data-kind=unsynced] button')!.click();
    await settle(fixture);
    expect(kinds()).toEqual(['inversion']);
    expect(element.querySelector('.alerts-panel')?.textContent).toContain('Show 1 dismissed');
  });

  it('charts true and estimated offset of the selected server on a time axis, from history and status', async () => {
    const { element } = await render();
    const chart = element.querySelector<HTMLElement>('[data-testid=offset-chart]')!;
    // the configuration, the sync (history) and the status poll
    expect(chart.getAttribute('data-points')).toBe('3');
    expect(chart.querySelector('canvas')?.getAttribute('aria-label')).toContain('true offset +250.5 ms');
    expect(element.querySelectorAll('canvas')).toHaveLength(3);
  });

  it('shows the drift since the last sync, which a seconds-wide offset scale would flatten', async () => {
    const { element } = await render();
    // 0.5 ms in the 5 s since the sync: 100 ppm.
    expect(element.querySelector('[data-testid=drift-summary]')?.textContent).toContain(
      'server-1: +0.5 ms since 12:00:00.000 (+100.0 ppm)',
    );
  });

  it('lists the clock history newest first, with a dash where a configuration has no NTP figures', async () => {
    const { element } = await render();
    const rows = [...element.querySelectorAll('[data-testid=clock-history] tbody tr')] as HTMLElement[];
    expect(rows.map((row) => row.getAttribute('data-kind'))).toEqual(['synchronized', 'configured']);
    expect(rows[0].textContent).toContain('+240.0 ms');
    expect(rows[1].textContent).toContain('—');
    expect(rows[1].textContent).toContain('major_drift');
  });

  it('shows an unsynced server without inventing an estimate', async () => {
    const { element } = await render();
    expect(element.querySelector('tr[data-server=server-2]')?.textContent).toContain('unbounded');
  });

  it('lowering the threshold raises an error-bound alert', async () => {
    const { fixture, element } = await render();
    const input = element.querySelector<HTMLInputElement>('input[name=threshold]')!;
    input.value = '2';
    input.dispatchEvent(new Event('change'));
    await settle(fixture);
    expect(element.querySelector('[data-kind=error-bound]')?.textContent).toContain('server-1');
  });

  it('forces a sync on demand', async () => {
    const { fixture, element } = await render();
    element.querySelector<HTMLButtonElement>('tr[data-server=server-2] td:last-child button')!.click();
    await settle(fixture);
    expect(api.forceSync).toHaveBeenCalledWith('server-2');
  });
});
