import { TestBed } from '@angular/core/testing';
import { provideCharts, withDefaultRegisterables } from 'ng2-charts';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../../../testing/fake-lab-api';
import { T0, inversionConflict, serverClock, syncEntry, timeStatus } from '../../../testing/fixtures';
import { NtpDashboardComponent } from './ntp-dashboard.component';

describe('NtpDashboardComponent', () => {
  let api: FakeLabApi;

  beforeEach(() => {
    api = fakeLabApi();
    api.timeStatus.mockResolvedValue([
      timeStatus('server-1', {
        reference_time_ms: T0 + 5000,
        configured: serverClock('server-1', { offset_ms: 250, drift_ppm: 5 }),
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
        drift_ppm: 5,
        scenario: 'major_drift',
      }),
      syncEntry('server-1', T0),
    ]);
    api.conflicts.mockResolvedValue({ items: [inversionConflict()], total: 1, limit: 10, offset: 0 });
    api.forceSync.mockResolvedValue({ offset_ms: 1 });
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api), provideCharts(withDefaultRegisterables())] });
  });

  it('shows each server sync state and the alerts', async () => {
    const fixture = TestBed.createComponent(NtpDashboardComponent);
    await settle(fixture);
    const element: HTMLElement = fixture.nativeElement;
    expect(element.querySelector('tr[data-server=server-1] [data-sync]')?.textContent).toBe('synced');
    expect(element.querySelector('tr[data-server=server-2] [data-sync]')?.textContent).toBe('unsynced');
    const kinds = [...element.querySelectorAll('[data-testid=alerts] li')].map((li) => li.getAttribute('data-kind'));
    expect(kinds).toEqual(['unsynced', 'inversion']);
    expect(api.conflicts).toHaveBeenCalledWith({ kind: 'inversion', limit: 10 });
  });

  it('charts configured vs estimated offset for the selected server, from history and status', async () => {
    const fixture = TestBed.createComponent(NtpDashboardComponent);
    await settle(fixture);
    const chart: HTMLElement = fixture.nativeElement.querySelector('[data-testid=offset-chart]');
    // the configuration, the sync (history) and the status poll
    expect(chart.getAttribute('data-points')).toBe('3');
    expect(chart.getAttribute('data-last-configured')).toBe('250');
    expect(fixture.nativeElement.querySelectorAll('canvas')).toHaveLength(2);
  });

  it('lists the clock history newest first, with a dash where a configuration has no NTP figures', async () => {
    const fixture = TestBed.createComponent(NtpDashboardComponent);
    await settle(fixture);
    const rows = [...fixture.nativeElement.querySelectorAll('[data-testid=clock-history] tbody tr')] as HTMLElement[];
    expect(rows.map((row) => row.getAttribute('data-kind'))).toEqual(['synchronized', 'configured']);
    expect(rows[0].textContent).toContain('240.0 ms');
    expect(rows[1].textContent).toContain('—');
    expect(rows[1].textContent).toContain('major_drift');
  });

  it('shows an unsynced server without inventing an estimate', async () => {
    const fixture = TestBed.createComponent(NtpDashboardComponent);
    await settle(fixture);
    expect(fixture.nativeElement.querySelector('tr[data-server=server-2]').textContent).toContain('unbounded');
  });

  it('lowering the threshold raises an error-bound alert', async () => {
    const fixture = TestBed.createComponent(NtpDashboardComponent);
    await settle(fixture);
    const input: HTMLInputElement = fixture.nativeElement.querySelector('input[name=threshold]');
    input.value = '2';
    input.dispatchEvent(new Event('change'));
    await settle(fixture);
    expect(fixture.nativeElement.querySelector('[data-kind=error-bound]')?.textContent).toContain('server-1');
  });

  it('forces a sync on demand', async () => {
    const fixture = TestBed.createComponent(NtpDashboardComponent);
    await settle(fixture);
    fixture.nativeElement.querySelector('tr[data-server=server-2] td:last-child button').click();
    await settle(fixture);
    expect(api.forceSync).toHaveBeenCalledWith('server-2');
  });
});
