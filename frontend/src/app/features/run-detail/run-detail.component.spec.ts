import { TestBed } from '@angular/core/testing';
import { ApiCallError } from '../../core/api/api-error';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../../../testing/fake-lab-api';
import { invertedTimeline, inversionConflict, stats } from '../../../testing/fixtures';
import { RunDetailComponent } from './run-detail.component';

describe('RunDetailComponent (drill-down into a seeded run or a past session)', () => {
  let api: FakeLabApi;

  beforeEach(() => {
    api = fakeLabApi();
    api.stats.mockResolvedValue(stats());
    api.conflicts.mockResolvedValue({
      items: [{ ...inversionConflict('c1', 1207), run_id: 'r42' }],
      total: 67,
      limit: 100,
      offset: 0,
    });
    api.seatTimeline.mockResolvedValue({ ...invertedTimeline(), seat_id: 1207 });
    api.scenarioRun.mockRejectedValue(new ApiCallError({ status: 404, messages: ['no such run'], fieldErrors: {} }));
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api)] });
  });

  async function render(inputs: Record<string, string>) {
    const fixture = TestBed.createComponent(RunDetailComponent);
    for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
    await settle(fixture);
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it("reads the run's figures and its inversions by run_id, each linking to the run's seat timeline", async () => {
    const { element } = await render({ runId: 'r42', kind: 'inversion' });
    expect(api.stats).toHaveBeenCalledWith('r42', expect.any(AbortSignal));
    expect(api.conflicts).toHaveBeenCalledWith(
      expect.objectContaining({ run_id: 'r42', kind: 'inversion' }),
      expect.any(AbortSignal),
    );
    expect(element.textContent).toContain('1 shown of 67');
    expect(element.querySelector('tr[data-seat="1207"] a[data-testid=timeline-link]')?.getAttribute('href')).toBe(
      '/runs/r42?seat=1207',
    );
    // A 404 for the run itself just means a lab session, not an error.
    expect(element.querySelector('h1')?.textContent).toContain('Lab session');
    expect(element.querySelector('[role=alert]')).toBeNull();
  });

  it("opens a seat's timeline inside the run", async () => {
    const { element } = await render({ runId: 'r42', seat: '1207' });
    expect(api.seatTimeline).toHaveBeenCalledWith(1207, 'r42', expect.any(AbortSignal));
    expect(element.querySelector('[data-testid=seat-timeline] h2')?.textContent).toContain('Seat 1207 timeline in r42');
    expect(element.querySelector('g.row.inverted')?.getAttribute('data-row')).toBe('server_clock');
  });
});
