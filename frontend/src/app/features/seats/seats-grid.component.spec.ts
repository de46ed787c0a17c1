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
      seat(7, {
        status: 'taken',
        is_available: false,
        attempts_count: 2,
        conflict_kinds: ['contention', 'inversion'],
        reservation: { id: 'r7', customer_name: 'Ana', server_id: 'server-1', decided_by: 'ntp_corrected' },
      }),
      ...[11, 12, 13].map((id) => seat(id)),
    ]);
    api.seatTimeline.mockResolvedValue(invertedTimeline());
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api)] });
  });

  async function render() {
    const fixture = TestBed.createComponent(SeatsPageComponent);
    await settle(fixture);
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('shows free, pending, taken and contested seats at a glance, with the holder written on the seat', async () => {
    const { element } = await render();
    const states = [...element.querySelectorAll('[data-seat]')]
      .slice(0, 4)
      .map((cell) => [cell.getAttribute('data-seat'), cell.getAttribute('data-state')]);
    expect(states).toEqual([
      ['1', 'free'],
      ['2', 'pending'],
      ['3', 'taken'],
      ['7', 'conflict'],
    ]);
    // Ana holds seat 7 after a conflict: it counts as taken, and as contested.
    expect(element.querySelector('[data-testid=seat-counts]')?.textContent).toContain('2 taken');
    expect(element.querySelector('[data-testid=seat-counts]')?.textContent).toContain('1 contested');
    expect(element.querySelector('[data-seat="3"] .holder-name')?.textContent).toBe('Ana');
    const name = element.querySelector('[data-seat="7"]')?.textContent?.replace(/\s+/g, ' ').trim();
    expect(name).toBe('Seat 7, contested, held by Ana via server-1, 2 attempts, inversion');
  });

  it('is a grid of rows of ten with one tab stop that the arrow keys move', async () => {
    const { fixture, element } = await render();
    const grid = element.querySelector<HTMLElement>('[role=grid]')!;
    expect(grid.querySelectorAll('[role=row]')).toHaveLength(1);
    expect(grid.querySelectorAll('[role=gridcell]')).toHaveLength(7);
    const tabStops = () => [...grid.querySelectorAll('button[tabindex="0"]')].map((b) => b.getAttribute('data-seat'));
    expect(tabStops()).toEqual(['1']);
    grid.querySelector<HTMLButtonElement>('[data-seat="1"]')!.focus();
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await settle(fixture);
    expect(tabStops()).toEqual(['2']);
    expect(document.activeElement?.getAttribute('data-seat')).toBe('2');
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    await settle(fixture);
    expect(document.activeElement?.getAttribute('data-seat')).toBe('13');
  });

  it('opens the timeline of a clicked seat, says it in words, and prefills the form with it', async () => {
    const { fixture, element } = await render();
    element.querySelector<HTMLButtonElement>('[data-seat="7"]')!.click();
    await settle(fixture);
    expect(api.seatTimeline).toHaveBeenCalledWith(7, undefined, expect.any(AbortSignal));
    expect(element.querySelector('[data-testid=seat-timeline] h2')?.textContent).toContain('Seat 7 timeline');
    expect(element.querySelector('[data-testid=seat-timeline] .holder')?.textContent).toContain(
      'decided by NTP-corrected time',
    );
    expect(element.querySelector('g.row.inverted')?.getAttribute('data-row')).toBe('server_clock');
    expect(element.querySelector('[data-testid=timeline-description]')?.textContent).toContain(
      'Server clock: B, then A.',
    );
    expect(element.querySelector<HTMLInputElement>('input[name=seat_id]')!.value).toBe('7');
  });

  it('opens the seat a link asks for (?seat=7)', async () => {
    const fixture = TestBed.createComponent(SeatsPageComponent);
    fixture.componentRef.setInput('seat', '7');
    await settle(fixture);
    expect(fixture.nativeElement.querySelector('[data-testid=seat-timeline] h2')?.textContent).toContain('Seat 7');
  });

  it('shows a failed load instead of an empty grid', async () => {
    api.seats.mockRejectedValue(new Error('boom'));
    const { element } = await render();
    expect(element.querySelector('lab-api-error')?.textContent).toContain('Boom');
  });
});
