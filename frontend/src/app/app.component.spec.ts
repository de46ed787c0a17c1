import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AppComponent } from './app.component';
import { ApiCallError } from './core/api/api-error';
import { EVENT_SOURCE_FACTORY } from './core/live/event-source';
import { LiveUpdates } from './core/live/live-updates.service';
import { fakeLabApi, provideFakeLabApi, settle } from '../testing/fake-lab-api';

describe('AppComponent', () => {
  it('says when the backend is unreachable and clears the banner when it answers again', async () => {
    const api = fakeLabApi();
    api.health.mockRejectedValue(
      new ApiCallError({ status: 0, messages: ['The backend is unreachable.'], fieldErrors: {} }),
    );
    const source = { onopen: null, onerror: null, addEventListener: jest.fn(), close: jest.fn() };
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideFakeLabApi(api), { provide: EVENT_SOURCE_FACTORY, useValue: () => source }],
    });
    const fixture = TestBed.createComponent(AppComponent);
    await settle(fixture);
    const element: HTMLElement = fixture.nativeElement;
    expect(element.querySelector('[data-testid=outage]')?.textContent).toContain('Backend unreachable');
    expect(element.querySelector('lab-live-indicator [role=status]')?.getAttribute('data-status')).toBe('disconnected');
    expect([...element.querySelectorAll('nav a')].map((a) => a.textContent)).toEqual([
      'Seats',
      'Conflicts',
      'NTP',
      'Simulation',
      'Stats',
    ]);

    api.health.mockResolvedValue({ status: 'ok', event_store: { kind: 'pglite' }, read_model: { caught_up: true } });
    await TestBed.inject(LiveUpdates)['health'].poll();
    await settle(fixture);
    expect(element.querySelector('[data-testid=outage]')).toBeNull();
    TestBed.inject(LiveUpdates).stop();
  });
});
