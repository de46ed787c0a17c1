import { TestBed } from '@angular/core/testing';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../../../testing/fake-lab-api';
import { inversionConflict } from '../../../testing/fixtures';
import { ConflictsListComponent } from './conflicts-list.component';

describe('ConflictsListComponent', () => {
  let api: FakeLabApi;

  beforeEach(() => {
    api = fakeLabApi();
    api.conflicts.mockResolvedValue({ items: [inversionConflict('c1', 7)], total: 1, limit: 100, offset: 0 });
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api)] });
  });

  it('lists conflicts and passes the kind, seat and server filters to the API', async () => {
    const fixture = TestBed.createComponent(ConflictsListComponent);
    await settle(fixture);
    const element: HTMLElement = fixture.nativeElement;
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
    await new Promise((resolve) => setTimeout(resolve, 300)); // the reload is debounced
    await settle(fixture);
    expect(api.conflicts).toHaveBeenLastCalledWith({
      kind: 'inversion',
      seat_id: 7,
      server_id: 'server-2',
      limit: 100,
    });
  });

  it('expands a row into its witness: every stamp and each strategy pick', async () => {
    const fixture = TestBed.createComponent(ConflictsListComponent);
    await settle(fixture);
    const element: HTMLElement = fixture.nativeElement;
    expect(element.querySelector('lab-witness-table')).toBeNull();
    element.querySelector<HTMLElement>('tr[data-conflict=c1]')!.click();
    await settle(fixture);
    const rows = element.querySelectorAll('lab-witness-table tbody tr');
    expect(rows).toHaveLength(2);
    // Bob (second attempt) is the server-clock pick, and a wrong one.
    expect(rows[1].querySelector('[data-strategy=server_clock] .picked.wrong')).not.toBeNull();
    expect(rows[0].querySelector('[data-strategy=truth] .picked')).not.toBeNull();
    expect(element.querySelector('.explanation')?.textContent).toContain('server clocks disagree with truth');
  });
});
