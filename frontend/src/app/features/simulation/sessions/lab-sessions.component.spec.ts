import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { operatorAuthInterceptor } from '../../../core/auth/operator-auth.interceptor';
import { OperatorSession } from '../../../core/auth/operator-session';
import { settle } from '../../../../testing/fake-lab-api';
import { LabSessionsComponent } from './lab-sessions.component';

const STARTED = '2025-01-01T12:00:00.000Z';

/** Renders without whenStable(): it would wait for the HTTP calls this test answers by hand. */
async function tick(fixture: { detectChanges(): void }): Promise<void> {
  for (let round = 0; round < 4; round++) await new Promise((resolve) => setTimeout(resolve, 0));
  fixture.detectChanges();
}
const ENDED = '2025-01-01T12:30:00.000Z';

/** The lab reset's console part, against the agreed contract, over mocked HTTP (the backend is built in parallel). */
describe('LabSessionsComponent (lab reset and sessions)', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([operatorAuthInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  async function render(sessions: object | 404) {
    const fixture = TestBed.createComponent(LabSessionsComponent);
    fixture.detectChanges();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const list = http.expectOne('/api/lab/sessions');
    if (sessions === 404)
      list.flush({ message: 'Cannot GET /api/lab/sessions' }, { status: 404, statusText: 'Not Found' });
    else list.flush(sessions);
    await settle(fixture);
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('lists the sessions; a past one opens for replay and comparison', async () => {
    const { element } = await render({
      items: [
        { session_id: 'session-1', started_at: STARTED, ended_at: ENDED, attempts: 12, seats_taken: 3 },
        { session_id: 'session-2', started_at: ENDED, ended_at: null, attempts: 0, seats_taken: 0 },
      ],
    });
    const rows = element.querySelectorAll('[data-testid=sessions] tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('12');
    expect(rows[0].querySelector('a')?.getAttribute('href')).toBe('/runs/session-1');
    expect(rows[1].textContent).toContain('current');
  });

  it('resets only after the operator signs in and confirms, with the token on POST /api/lab/reset', async () => {
    const { fixture, element } = await render({ items: [] });
    const session = TestBed.inject(OperatorSession);
    element.querySelector<HTMLButtonElement>('[data-testid=reset-lab]')!.click();
    await settle(fixture);
    expect(session.prompt()?.reason).toBe('Resetting the lab is for the operator.');
    expect(element.querySelector('[data-testid=reset-confirm]')).toBeNull();

    const signedIn = session.signIn('operator', 'secret');
    http
      .expectOne('/api/auth/token')
      .flush({ access_token: 'jwt', token_type: 'bearer', expires_in: 600, role: 'operator' });
    await signedIn;
    await settle(fixture);
    // Signed in: still a confirmation before anything happens.
    expect(element.querySelector('[data-testid=reset-confirm]')?.textContent).toContain('nothing is deleted');
    http.expectNone('/api/lab/reset');

    element.querySelector<HTMLButtonElement>('[data-testid=confirm-reset]')!.click();
    await tick(fixture);
    const reset = http.expectOne('/api/lab/reset');
    expect(reset.request.method).toBe('POST');
    expect(reset.request.headers.get('Authorization')).toBe('Bearer jwt');
    reset.flush({ session_id: 'session-2', previous_session_id: 'session-1', started_at: ENDED });
    await tick(fixture);
    http.expectOne('/api/lab/sessions').flush({ items: [] });
    await tick(fixture);
    const done = element.querySelector('[data-testid=reset-done]');
    expect(done?.textContent).toContain('Started session-2');
    expect(done?.textContent).toContain('session-1 is kept');
    expect(done?.querySelector('a')?.getAttribute('href')).toBe('/runs/session-1');
  });

  it('cancelling the confirmation sends nothing', async () => {
    const { fixture, element } = await render({ items: [] });
    const session = TestBed.inject(OperatorSession);
    const signedIn = session.signIn('operator', 'secret');
    http
      .expectOne('/api/auth/token')
      .flush({ access_token: 'jwt', token_type: 'bearer', expires_in: 600, role: 'operator' });
    await signedIn;
    element.querySelector<HTMLButtonElement>('[data-testid=reset-lab]')!.click();
    await settle(fixture);
    [...element.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Cancel')!.click();
    await settle(fixture);
    expect(element.querySelector('[data-testid=reset-confirm]')).toBeNull();
    http.expectNone('/api/lab/reset');
  });

  it('says so when the backend keeps no sessions yet (404), instead of an error', async () => {
    const { element } = await render(404);
    expect(element.querySelector('[data-testid=sessions-unsupported]')).not.toBeNull();
    expect(element.querySelector('[role=alert]')).toBeNull();
  });
});
