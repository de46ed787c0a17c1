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
});
