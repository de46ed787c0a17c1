import { TestBed } from '@angular/core/testing';
import { provideCharts, withDefaultRegisterables } from 'ng2-charts';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../../../testing/fake-lab-api';
import { T0, inversionConflict, timeStatus } from '../../../testing/fixtures';
import { NtpDashboardComponent } from './ntp-dashboard.component';

describe('NtpDashboardComponent', () => {
  let api: FakeLabApi;

  beforeEach(() => {
    api = fakeLabApi();
    api.timeStatus.mockResolvedValue([
      timeStatus('server-1', {
        configured: {
          offset_ms: 250,
          drift_ppm: 5,
          jitter_ms: 0,
          outbound_delay_ms: 1,
          inbound_delay_ms: 1,
          never_syncs: false,
        },
      }),
      timeStatus('server-2', { is_synchronized: false }),
    ]);
    api.syncHistory.mockResolvedValue([
      {
        server_id: 'server-1',
        synced_at: new Date(T0).toISOString(),
        offset_ms: 240,
        delay_ms: 2,
        error_bound_ms: 1,
        estimated_offset_before_ms: 0,
        estimated_offset_after_ms: 240,
        true_offset_ms: 250,
      },
    ]);
    api.conflicts.mockResolvedValue({ items: [inversionConflict()], total: 1, limit: 10, offset: 0 });
    api.forceSync.mockResolvedValue({});
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
    expect(chart.getAttribute('data-points')).toBe('2');
    expect(chart.getAttribute('data-last-configured')).toBe('250');
    expect(fixture.nativeElement.querySelectorAll('canvas')).toHaveLength(2);
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
