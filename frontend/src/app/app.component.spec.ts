import { TestBed } from '@angular/core/testing';
import { AppComponent } from './app.component';
import { ApiCallError } from './core/api/api-error';
import { EVENT_SOURCE_FACTORY } from './core/live/event-source';
import { LiveUpdates } from './core/live/live-updates.service';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../testing/fake-lab-api';
import { inversionConflict, timeStatus } from '../testing/fixtures';

const unreachable = new ApiCallError({ status: 0, messages: ['The backend is unreachable.'], fieldErrors: {} });
const healthy = { status: 'ok', event_store: { kind: 'pglite' }, read_model: { caught_up: true } };

describe('AppComponent (the shell every screen shares)', () => {
  let api: FakeLabApi;

  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
    api = fakeLabApi();
    api.health.mockResolvedValue(healthy);
    const source = { onopen: null, onerror: null, addEventListener: jest.fn(), close: jest.fn() };
    TestBed.configureTestingModule({
      providers: [provideFakeLabApi(api), { provide: EVENT_SOURCE_FACTORY, useValue: () => source }],
    });
  });

  afterEach(() => {
    TestBed.inject(LiveUpdates).stop();
    delete document.documentElement.dataset['theme'];
  });

  async function render() {
    const fixture = TestBed.createComponent(AppComponent);
    await settle(fixture);
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('says when the backend is unreachable and clears the banner when it answers again', async () => {
    api.health.mockRejectedValue(unreachable);
    const { fixture, element } = await render();
    expect(element.querySelector('[data-testid=outage]')?.textContent).toContain('Backend unreachable');
    expect(element.querySelector('lab-live-indicator [role=status]')?.getAttribute('data-status')).toBe('disconnected');
    expect([...element.querySelectorAll('nav a')].map((a) => a.textContent)).toEqual([
      'Seats',
      'Conflicts',
      'NTP',
      'Simulation',
      'Stats',
    ]);
    api.health.mockResolvedValue(healthy);
    await TestBed.inject(LiveUpdates)['health'].poll();
    await settle(fixture);
    expect(element.querySelector('[data-testid=outage]')).toBeNull();
  });

  it('has a skip link that moves focus to the main content', async () => {
    const { element } = await render();
    const skip = element.querySelector<HTMLAnchorElement>('a.skip-link')!;
    expect(skip.textContent).toBe('Skip to content');
    skip.click();
    expect(document.activeElement?.id).toBe('main');
  });

  it('turns projector mode on and off, and remembers it', async () => {
    const { fixture, element } = await render();
    const toggle = element.querySelector<HTMLButtonElement>('[data-testid=projector-toggle]')!;
    toggle.click();
    await settle(fixture);
    expect(document.documentElement.dataset['theme']).toBe('projector');
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(localStorage.getItem('ntp-lab.theme')).toBe('projector');
    toggle.click();
    await settle(fixture);
    expect(document.documentElement.dataset['theme']).toBe('default');
  });

  it('shows the current alerts on every screen, each dismissible', async () => {
    api.timeStatus.mockResolvedValue([timeStatus('server-1')]);
    api.conflicts.mockResolvedValue({ items: [inversionConflict('c9', 7)], total: 1, limit: 10, offset: 0 });
    const { fixture, element } = await render();
    const bar = () => element.querySelector('[data-testid=alert-bar]');
    expect(bar()?.textContent).toContain('Inversion on seat 7');
    expect(bar()?.querySelector('a')?.getAttribute('href')).toBe('/seats?seat=7');
    bar()!.querySelector<HTMLButtonElement>('li button')!.click();
    await settle(fixture);
    expect(bar()?.querySelector('li')).toBeNull();
    expect(bar()?.textContent).toContain('Show 1 dismissed');
  });
});
