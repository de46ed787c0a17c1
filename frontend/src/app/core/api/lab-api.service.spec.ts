import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ApiCallError } from './api-error';
import { LabApi } from './lab-api.service';

describe('LabApi', () => {
  let api: LabApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    api = TestBed.inject(LabApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('sends only the filters that are set', async () => {
    const answer = api.conflicts({ kind: 'inversion', seat_id: 7, server_id: undefined, limit: 10 });
    const request = http.expectOne((req) => req.url === '/api/conflicts');
    expect(request.request.params.toString()).toBe('kind=inversion&seat_id=7&limit=10');
    request.flush({ items: [], total: 0, limit: 10, offset: 0 });
    expect((await answer).total).toBe(0);
  });

  it('posts reservations and turns failures into ApiCallError with the API messages', async () => {
    const answer = api.reserve({ seat_id: 0, customer_name: 'Ana', server_id: 'server-1' });
    const request = http.expectOne('/api/reservations');
    expect(request.request.method).toBe('POST');
    request.flush(
      { statusCode: 400, error: 'Bad Request', message: ['seat_id must be at least 1'] },
      { status: 400, statusText: 'Bad Request' },
    );
    await expect(answer).rejects.toBeInstanceOf(ApiCallError);
    await answer.catch((error: ApiCallError) => expect(error.detail.messages).toEqual(['seat_id must be at least 1']));
  });

  it('puts a clock change and forces a sync for one server', async () => {
    const change = api.changeServerClock('server-2', { offset_ms: 300 });
    const put = http.expectOne('/api/simulation/offsets/server-2');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ offset_ms: 300 });
    put.flush({});
    await change;
    const sync = api.forceSync('server-2');
    http
      .expectOne((req) => req.url === '/api/time/sync' && req.params.get('server_id') === 'server-2')
      .flush({ offset_ms: 1 });
    expect((await sync).offset_ms).toBe(1);
  });

  it('passes the clock history through as the backend shapes it', async () => {
    const answer = api.clockHistory('server-1', 50);
    const request = http.expectOne((req) => req.url === '/api/time/history');
    expect(request.request.params.toString()).toBe('server_id=server-1&limit=50');
    request.flush([{ server_id: 'server-1', kind: 'configured', at: '2025-01-01T12:00:00.000Z' }]);
    expect((await answer)[0].kind).toBe('configured');
  });

  it('starts a seeded run and follows it by id', async () => {
    const started = api.startScenarioRun({
      scenario: 'major_drift',
      seed: 42,
      seats: 10,
      attempts_per_seat: 3,
      spread_ms: 500,
    });
    const post = http.expectOne('/api/simulation/runs');
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toEqual({
      scenario: 'major_drift',
      seed: 42,
      seats: 10,
      attempts_per_seat: 3,
      spread_ms: 500,
    });
    post.flush({ id: 'run-1', status: 'running' });
    expect((await started).id).toBe('run-1');
    const followed = api.scenarioRun('run-1');
    http.expectOne('/api/simulation/runs/run-1').flush({ id: 'run-1', status: 'completed' });
    expect((await followed).status).toBe('completed');
  });
});
