import { TestBed } from '@angular/core/testing';
import { attempt, invertedTimeline } from '../../../../testing/fixtures';
import { SeatTimelineComponent } from './seat-timeline.component';

describe('SeatTimelineComponent', () => {
  it('draws three rows with a winner each and flags the inverted one', async () => {
    const fixture = TestBed.createComponent(SeatTimelineComponent);
    fixture.componentRef.setInput('timeline', invertedTimeline());
    await fixture.whenStable();
    const element: HTMLElement = fixture.nativeElement;

    const rows = [...element.querySelectorAll('g.row')];
    expect(rows.map((row) => row.getAttribute('data-row'))).toEqual(['server_clock', 'ntp_corrected', 'truth']);
    expect(rows.map((row) => row.classList.contains('inverted'))).toEqual([true, false, false]);
    expect(rows.map((row) => row.querySelector('g.mark.winner')?.getAttribute('data-attempt'))).toEqual([
      'b',
      'a',
      'a',
    ]);
    expect(element.querySelectorAll('polyline.link')).toHaveLength(2);
    expect(element.querySelector('.row-flag')?.textContent).toContain('wrong first');
    // The axis says where its zero is: the first true attempt, as a wall-clock time.
    expect(element.querySelector('.axis-title')?.textContent).toContain('0 = 12:00:00.000');
  });

  it('draws a never-synced server’s interval as one dashed line across the plot, and says it is unbounded', async () => {
    const timeline = invertedTimeline();
    timeline.attempts = [
      ...timeline.attempts,
      attempt('c', { server: 30, ntp: 30, truth: 30 }, { error_bound_ms: 86_400_000 }),
      attempt('d', { server: 31, ntp: 31, truth: 31 }, { reference_uncertainty_ms: 86_400_000 }),
      attempt('e', { server: 32, ntp: 32, truth: 32 }, { reference_uncertainty_ms: 0.25 }),
    ];
    const fixture = TestBed.createComponent(SeatTimelineComponent);
    fixture.componentRef.setInput('timeline', timeline);
    await fixture.whenStable();
    const element: HTMLElement = fixture.nativeElement;
    const unbounded = [...element.querySelectorAll('line.bound.unbounded')];
    // c's bound on the NTP-corrected row, d's truth on the true-time row.
    expect(unbounded.map((line) => line.getAttribute('data-attempt'))).toEqual(['c', 'd']);
    expect(unbounded[0]!.getAttribute('x1')).toBe('116');
    const legend = [...element.querySelectorAll('.legend li')].map((item) =>
      item.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(legend[2]).toContain('error bound unbounded');
    expect(legend[3]).toContain('truth unknown (unsynced reference)');
    expect(legend[4]).toContain('truth ±0.25 ms');
    expect(element.querySelector('.legend')?.textContent).not.toContain('86,400,000');
  });

  it('says so when there is nothing to draw', async () => {
    const fixture = TestBed.createComponent(SeatTimelineComponent);
    fixture.componentRef.setInput('timeline', { ...invertedTimeline(), attempts: [], winners: null });
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toContain('No attempts');
  });
});
