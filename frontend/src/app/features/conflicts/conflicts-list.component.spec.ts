import { TestBed } from '@angular/core/testing';
import type { ConflictPage } from '../../core/api/api-types';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../../../testing/fake-lab-api';
import { inversionConflict } from '../../../testing/fixtures';
import { ConflictsListComponent } from './conflicts-list.component';

const page = (...items: ReturnType<typeof inversionConflict>[]): ConflictPage => ({
  items,
  total: items.length,
  limit: 100,
  offset: 0,
});

describe('ConflictsListComponent', () => {
  let api: FakeLabApi;

  beforeEach(() => {
    api = fakeLabApi();
    api.conflicts.mockResolvedValue(page(inversionConflict('c1', 7)));
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api)] });
  });

  async function render() {
    const fixture = TestBed.createComponent(ConflictsListComponent);
    await settle(fixture);
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('lists conflicts and passes the kind, seat and server filters to the API', async () => {
    const { fixture, element } = await render();
    expect(element.querySelector('tr[data-seat="7"]')?.textContent).toContain('inversion');
    const kind = element.querySelector<HTMLSelectElement>('select[name=kind]')!;
    kind.value = 'inversion';
    kind.dispatchEvent(new Event('change'));
    const seatInput = element.querySelector<HTMLInputElement>('input[name=seat]')!;
    seatInput.value = '7';
    seatInput.dispatchEvent(new Event('input'));
    const server = element.querySelector<HTMLSelectElement>('select[name=server]')!;
    server.value = 'server-2';
    server.dispatchEvent(new Event('change'));
    await settle(fixture);
    expect(api.conflicts).toHaveBeenLastCalledWith(
      { kind: 'inversion', seat_id: 7, server_id: 'server-2', run_id: undefined, limit: 100 },
      expect.any(AbortSignal),
    );
  });

  it('never lets an older answer overwrite a newer filter’s: the stale load is aborted and ignored', async () => {
    let answerSlowly: (value: ConflictPage) => void = () => undefined;
    api.conflicts.mockReturnValueOnce(new Promise<ConflictPage>((resolve) => (answerSlowly = resolve)));
    const fixture = TestBed.createComponent(ConflictsListComponent);
    // Not settle(): whenStable() would wait for the load held open on purpose.
    const render = async () => {
      for (let round = 0; round < 4; round++) await new Promise((resolve) => setTimeout(resolve, 0));
      fixture.detectChanges();
    };
    await render();
    const [, staleSignal] = api.conflicts.mock.calls[0] as [unknown, AbortSignal];
    api.conflicts.mockResolvedValue(page(inversionConflict('c-seat-9', 9)));
    const seatInput = fixture.nativeElement.querySelector('input[name=seat]') as HTMLInputElement;
    seatInput.value = '9';
    seatInput.dispatchEvent(new Event('input'));
    await render();
    expect(staleSignal.aborted).toBe(true);
    answerSlowly(page(inversionConflict('c-all', 3)));
    await render();
    const seats = [...fixture.nativeElement.querySelectorAll('tr.row')].map((row: Element) =>
      row.getAttribute('data-seat'),
    );
    expect(seats).toEqual(['9']);
  });

  it('shows how far a real clock’s truth may itself be off, and nothing for an exact one', async () => {
    const conflict = inversionConflict('c1', 7);
    const [first, second] = conflict.witness.attempts;
    conflict.witness.attempts = [
      { ...first!, reference_uncertainty_ms: 0.75 },
      second!,
      { ...second!, attempt_id: 'c', reference_uncertainty_ms: 86_400_000 },
    ];
    api.conflicts.mockResolvedValue(page(conflict));
    const { fixture, element } = await render();
    element.querySelector<HTMLButtonElement>('tr[data-conflict=c1] button.expander')!.click();
    await settle(fixture);
    const truths = [...element.querySelectorAll('lab-witness-table tbody td[data-column=true-time]')];
    expect(truths.map((cell) => cell.querySelector('.truth-uncertainty')?.textContent?.trim() ?? null)).toEqual([
      '±0.75 ms',
      null,
      'unknown (unsynced reference)',
    ]);
    expect(element.querySelector('[data-testid=witness-legend]')?.textContent).toContain('True time ±');
  });

  it('opens a row into its witness from the keyboard, with a legend, and links to the seat timeline', async () => {
    const { fixture, element } = await render();
    expect(element.querySelector('lab-witness-table')).toBeNull();
    const expander = element.querySelector<HTMLButtonElement>('tr[data-conflict=c1] button.expander')!;
    expect(expander.getAttribute('aria-expanded')).toBe('false');
    expander.click();
    await settle(fixture);
    expect(expander.getAttribute('aria-expanded')).toBe('true');
    const rows = element.querySelectorAll('lab-witness-table tbody tr');
    expect(rows).toHaveLength(2);
    // Bob (second attempt) is the server-clock pick, and a wrong one.
    expect(rows[1].querySelector('[data-strategy=server_clock] .picked.wrong')).not.toBeNull();
    expect(rows[0].querySelector('[data-strategy=truth] .picked')).not.toBeNull();
    // HLC as physical time + counter, times in one format.
    expect(rows[0].textContent).toContain('12:00:00.040 + 0');
    expect(rows[1].textContent).toContain('+5.0 ms');
    expect(element.querySelector('[data-testid=witness-legend]')?.textContent).toContain(
      'someone else was truly first',
    );
    expect(element.querySelector('[data-testid=witness-legend]')?.textContent).not.toContain('True time ±');
    expect(element.querySelector('.explanation')?.textContent).toContain('by NTP-corrected time');
    expect(element.querySelector('tr[data-conflict=c1] a[data-testid=timeline-link]')?.getAttribute('href')).toBe(
      '/seats?seat=7',
    );
  });
});
