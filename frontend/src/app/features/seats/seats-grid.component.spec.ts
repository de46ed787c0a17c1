import { TestBed } from '@angular/core/testing';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../../../testing/fake-lab-api';
import { invertedTimeline, seat } from '../../../testing/fixtures';
import { SeatsPageComponent } from './seats-page.component';

describe('SeatsGridComponent (in the seats page)', () => {
  let api: FakeLabApi;

  beforeEach(() => {
    api = fakeLabApi();
    api.seats.mockResolvedValue([
      seat(1),
      seat(2, { status: 'pending', attempts_count: 1, is_available: false }),
      seat(3, {
        status: 'taken',
        is_available: false,
        attempts_count: 1,
        reservation: { id: 'r', customer_name: 'Ana', server_id: 'server-1', decided_by: 'ntp_corrected' },
      }),
      seat(7, { status: 'taken', is_available: false, attempts_count: 2, conflict_kinds: ['contention', 'inversion'] }),
    ]);
    api.seatTimeline.mockResolvedValue(invertedTimeline());
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api)] });
  });

  it('shows free, pending, taken and in-conflict seats at a glance', async () => {
    const fixture = TestBed.createComponent(SeatsPageComponent);
    await settle(fixture);
    const element: HTMLElement = fixture.nativeElement;
    const states = [...element.querySelectorAll('[data-seat]')].map((cell) => [
      cell.getAttribute('data-seat'),
      cell.getAttribute('data-state'),
    ]);
    expect(states).toEqual([
      ['1', 'free'],
      ['2', 'pending'],
      ['3', 'taken'],
      ['7', 'conflict'],
    ]);
    expect(element.querySelector('.counts')?.textContent).toContain('1 in conflict');
    expect(element.querySelector('[data-seat="3"]')?.getAttribute('title')).toContain('Ana via server-1');
  });

  it('opens the timeline of a clicked seat and prefills the form with it', async () => {
    const fixture = TestBed.createComponent(SeatsPageComponent);
    await settle(fixture);
    const element: HTMLElement = fixture.nativeElement;
    element.querySelector<HTMLButtonElement>('[data-seat="7"]')!.click();
    await settle(fixture);
    expect(api.seatTimeline).toHaveBeenCalledWith(7);
    expect(element.querySelector('[data-testid=seat-timeline] h2')?.textContent).toContain('Seat 7 timeline');
    expect(element.querySelector('g.row.inverted')?.getAttribute('data-row')).toBe('server_clock');
    expect(element.querySelector<HTMLInputElement>('input[name=seat_id]')!.value).toBe('7');
  });

  it('shows a failed load instead of an empty grid', async () => {
    api.seats.mockRejectedValue(new Error('boom'));
    const fixture = TestBed.createComponent(SeatsPageComponent);
    await settle(fixture);
    expect(fixture.nativeElement.querySelector('lab-api-error')?.textContent).toContain('boom');
  });
});
