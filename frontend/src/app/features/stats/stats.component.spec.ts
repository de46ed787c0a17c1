import { TestBed } from '@angular/core/testing';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../../../testing/fake-lab-api';
import { stats } from '../../../testing/fixtures';
import { StatsComponent } from './stats.component';

describe('StatsComponent', () => {
  let api: FakeLabApi;
  beforeEach(() => {
    api = fakeLabApi();
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api)] });
  });

  it('draws one accuracy bar per strategy, as wide as its share', async () => {
    api.stats.mockResolvedValue(stats());
    const fixture = TestBed.createComponent(StatsComponent);
    await settle(fixture);
    const element: HTMLElement = fixture.nativeElement;
    const bars = [...element.querySelectorAll<HTMLElement>('lab-accuracy-bars li')];
    expect(bars.map((bar) => bar.getAttribute('data-strategy'))).toEqual([
      'server_clock',
      'ntp_corrected',
      'log_order',
      'hlc',
      'truth',
    ]);
    expect(bars[1].querySelector<HTMLElement>('.fill')!.style.width).toBe('75%');
    expect(bars[1].textContent).toContain('3 of 4 contended seats');
    expect(element.querySelector('[data-kpi=inversions]')?.textContent).toBe('2');
    // One line on what each ordering is; the HLC's says why it follows the server clock.
    expect(bars[3].textContent).toContain('Hybrid logical clock');
    expect(bars[3].querySelector('.explanation')?.textContent).toContain('scores like the server clock');
    // "Contended seats" once, not beside a "Contention" of the same value.
    expect([...element.querySelectorAll('dl.kpis dt')].map((dt) => dt.textContent)).not.toContain('Contention');
  });

  it('shows the error when the stats cannot be read', async () => {
    api.stats.mockRejectedValue(new Error('no stats'));
    const fixture = TestBed.createComponent(StatsComponent);
    await settle(fixture);
    expect(fixture.nativeElement.querySelector('[role=alert]')?.textContent).toContain('No stats');
  });
});
