import { HttpHeaders, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ApiCallError } from '../api/api-error';
import { LabApi } from '../api/lab-api.service';
import { operatorAuthInterceptor } from './operator-auth.interceptor';
import { OPERATOR_TOKEN_KEY, OperatorSession, signInFailureMessage } from './operator-session';

const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('operator sign-in (POST /api/auth/token) and the token on operator routes', () => {
  let api: LabApi;
  let session: OperatorSession;
  let http: HttpTestingController;

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([operatorAuthInterceptor])), provideHttpClientTesting()],
    });
    api = TestBed.inject(LabApi);
    session = TestBed.inject(OperatorSession);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function signIn(token = 'jwt-1', expiresInS = 900): Promise<void> {
    const signedIn = session.signIn('operator', 'secret');
    const request = http.expectOne('/api/auth/token');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ username: 'operator', password: 'secret' });
    expect(request.request.headers.has('Authorization')).toBe(false);
    request.flush({ access_token: token, token_type: 'bearer', expires_in: expiresInS, role: 'operator' });
    await signedIn;
  }

  it('keeps the token in sessionStorage and sends it as a bearer token on operator routes', async () => {
    await signIn();
    expect(session.signedIn()).toBe(true);
    expect(JSON.parse(sessionStorage.getItem(OPERATOR_TOKEN_KEY)!).access_token).toBe('jwt-1');
    const applied = api.applyScenario('extreme_drift', 1);
    const request = http.expectOne((req) => req.url === '/api/simulation/scenarios/extreme_drift/apply');
    expect(request.request.headers.get('Authorization')).toBe('Bearer jwt-1');
    request.flush({ scenario: 'extreme_drift', seed: 1, servers: [] });
    await applied;
    session.signOut();
    expect(sessionStorage.getItem(OPERATOR_TOKEN_KEY)).toBeNull();
  });

  it('on a 401 (expired token) asks for a sign-in, then sends the same request again: nothing is lost', async () => {
    await signIn('old');
    const change = api.changeServerClock('server-2', { offset_ms: 300 });
    http
      .expectOne('/api/simulation/offsets/server-2')
      .flush({ statusCode: 401, message: 'token expired' }, { status: 401, statusText: 'Unauthorized' });
    await flushPromises();
    expect(session.prompt()).toEqual({ reason: 'Changing clocks is for the operator.', expired: true });
    expect(session.signedIn()).toBe(false);
    await signIn('new');
    await flushPromises();
    const retried = http.expectOne('/api/simulation/offsets/server-2');
    expect(retried.request.headers.get('Authorization')).toBe('Bearer new');
    expect(retried.request.body).toEqual({ offset_ms: 300 });
    retried.flush({ server_id: 'server-2', offset_ms: 300 });
    expect((await change).offset_ms).toBe(300);
  });

  it('signed out, a refused change (401 or 403) opens the sign-in; cancelling hands the refusal back', async () => {
    const sync = api.forceSync('server-1');
    http
      .expectOne((req) => req.url === '/api/time/sync')
      .flush({ statusCode: 403, message: 'operator only' }, { status: 403, statusText: 'Forbidden' });
    await flushPromises();
    expect(session.prompt()?.expired).toBe(false);
    session.cancelSignIn();
    await expect(sync).rejects.toBeInstanceOf(ApiCallError);
    await sync.catch((error: ApiCallError) => expect(error.detail.status).toBe(403));
  });

  it('never asks for a sign-in on reads', async () => {
    const seats = api.seats();
    http.expectOne('/api/seats').flush({ message: 'no' }, { status: 401, statusText: 'Unauthorized' });
    await expect(seats).rejects.toBeInstanceOf(ApiCallError);
    expect(session.prompt()).toBeNull();
  });

  it('says why a sign-in failed: wrong credentials, or throttled with the wait from Retry-After', async () => {
    const wrong = session.signIn('operator', 'nope');
    http.expectOne('/api/auth/token').flush({ message: 'bad' }, { status: 401, statusText: 'Unauthorized' });
    const wrongError = await wrong.catch((error: unknown) => error);
    expect(signInFailureMessage(wrongError)).toBe('Wrong user name or password.');
    const throttled = session.signIn('operator', 'nope');
    http
      .expectOne('/api/auth/token')
      .flush(
        { message: 'Too Many Requests' },
        { status: 429, statusText: 'Too Many Requests', headers: new HttpHeaders({ 'Retry-After': '30' }) },
      );
    expect(signInFailureMessage(await throttled.catch((error: unknown) => error))).toBe(
      'Too many attempts: try again in 30 s.',
    );
    expect(session.signedIn()).toBe(false);
  });

  it('forgets the token when it expires', async () => {
    jest.useFakeTimers();
    try {
      await signIn('short', 60);
      expect(session.signedIn()).toBe(true);
      jest.advanceTimersByTime(60_001);
      expect(session.signedIn()).toBe(false);
      expect(sessionStorage.getItem(OPERATOR_TOKEN_KEY)).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });
});
