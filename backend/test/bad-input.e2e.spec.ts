/**
 * Issue 3, "Bad input": every malformed request gets a 4xx in the one JSON
 * error format, with a message naming the field, and appends NOTHING to the
 * log (proved by reading the whole log before and after).
 */
import { postJson, readWholeLog, startTestApp, type RunningApp } from './app-harness';

const MAX_SEATS = 20;

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

const messageText = (body: ErrorBody): string => (Array.isArray(body.message) ? body.message.join('; ') : body.message);

const validAttempt = { seat_id: 1, customer_name: 'Ana', server_id: 'server-1' };

describe('bad input on the embedded store', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp({ MAX_SEATS: String(MAX_SEATS), CONFLICT_WINDOW_MS: '300' });
  });
  afterAll(async () => {
    await running?.close();
  });

  const logLength = async (): Promise<number> => (await readWholeLog(running.store)).length;

  /** Sends the request, checks status + JSON error format + named field, and that the log did not grow. */
  const expectRejectedWithoutAppend = async (
    send: () => Promise<Response>,
    expected: { status: number; mentions: RegExp },
  ): Promise<ErrorBody> => {
    const before = await logLength();
    const response = await send();
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as ErrorBody;
    expect({ status: response.status, body }).toMatchObject({
      status: expected.status,
      body: { statusCode: expected.status, error: expect.any(String) },
    });
    expect(messageText(body)).toMatch(expected.mentions);
    expect(await logLength()).toBe(before);
    return body;
  };

  describe('POST /api/reservations', () => {
    const cases: { name: string; body: Record<string, unknown>; mentions: RegExp }[] = [
      { name: 'missing customer_name', body: { seat_id: 1, server_id: 'server-1' }, mentions: /customer_name/ },
      { name: 'empty customer_name', body: { ...validAttempt, customer_name: '' }, mentions: /customer_name/ },
      {
        name: 'whitespace-only customer_name',
        body: { ...validAttempt, customer_name: '   \t ' },
        mentions: /customer_name/,
      },
      { name: 'customer_name not a string', body: { ...validAttempt, customer_name: 42 }, mentions: /customer_name/ },
      { name: 'missing seat_id', body: { customer_name: 'Ana', server_id: 'server-1' }, mentions: /seat_id/ },
      { name: 'seat_id 0', body: { ...validAttempt, seat_id: 0 }, mentions: /seat_id/ },
      { name: 'seat_id MAX_SEATS + 1', body: { ...validAttempt, seat_id: MAX_SEATS + 1 }, mentions: /seat_id/ },
      { name: 'seat_id 1.5', body: { ...validAttempt, seat_id: 1.5 }, mentions: /seat_id/ },
      { name: 'seat_id as a string', body: { ...validAttempt, seat_id: '3' }, mentions: /seat_id/ },
      { name: 'missing server_id', body: { seat_id: 1, customer_name: 'Ana' }, mentions: /server_id/ },
      { name: 'unknown server_id', body: { ...validAttempt, server_id: 'server-99' }, mentions: /server_id/ },
      { name: 'unknown extra field', body: { ...validAttempt, vip: true }, mentions: /vip/ },
    ];

    it.each(cases)('$name → 400 naming the field, nothing appended', async ({ body, mentions }) => {
      await expectRejectedWithoutAppend(() => postJson(running.baseUrl, '/api/reservations', body), {
        status: 400,
        mentions,
      });
    });

    it('a customer_name over 100 characters → 400', async () => {
      await expectRejectedWithoutAppend(
        () => postJson(running.baseUrl, '/api/reservations', { ...validAttempt, customer_name: 'x'.repeat(101) }),
        { status: 400, mentions: /customer_name/ },
      );
    });

    it.each([
      ['a NUL', 'Ana\u0000'],
      ['a bidi override', 'Ana\u202Enimda'],
      ['a bidi isolate', '\u2067Ana'],
      ['a zero-width space', 'A\u200Bna'],
      ['a zero-width joiner', 'An\u200Da'],
      ['a BOM inside', 'A\uFEFFna'],
      ['a bell (C0 control)', 'Ana\u0007'],
      ['a C1 control', 'Ana\u0085'],
      ['a lone surrogate', 'Ana\uD800'],
      ['a line separator', 'Ana\u2028Bob'],
    ])('a customer_name with %s → 400 naming it, nothing appended', async (_label, name) => {
      await expectRejectedWithoutAppend(
        () => postJson(running.baseUrl, '/api/reservations', { ...validAttempt, seat_id: 2, customer_name: name }),
        { status: 400, mentions: /customer_name must not contain control, bidirectional-override, zero-width/ },
      );
    });

    it.each(['seed=', 'seed[]=1', 'seed=1&seed=2', 'seed=1e3', 'seed= 7', 'sede=3'])(
      'scenario apply with ?%s → 400, clocks unchanged',
      async (query) => {
        const before = await (await fetch(`${running.baseUrl}/api/simulation/offsets`)).text();
        // (Not the whole log: seats reserved by the tests above settle meanwhile, appending on their own.)
        const response = await postJson(
          running.baseUrl,
          `/api/simulation/scenarios/major_drift/apply?${query}`,
          {},
          running.operatorHeaders,
        );
        expect(response.status).toBe(400);
        expect(messageText((await response.json()) as ErrorBody)).toMatch(
          /seed must be an integer|is not an accepted query parameter/,
        );
        expect(await (await fetch(`${running.baseUrl}/api/simulation/offsets`)).text()).toBe(before);
      },
    );

    it('malformed JSON → 400 in the JSON error format', async () => {
      await expectRejectedWithoutAppend(() => postJson(running.baseUrl, '/api/reservations', '{"seat_id": 1,'), {
        status: 400,
        mentions: /JSON/i,
      });
    });

    it('a JSON body that is not an object → 400', async () => {
      await expectRejectedWithoutAppend(() => postJson(running.baseUrl, '/api/reservations', '[1,2,3]'), {
        status: 400,
        mentions: /seat_id|customer_name|object/,
      });
    });

    it('an empty body → 400', async () => {
      await expectRejectedWithoutAppend(
        () =>
          fetch(`${running.baseUrl}/api/reservations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '',
          }),
        { status: 400, mentions: /body|JSON|seat_id/i },
      );
    });

    it('a body over 16 KiB → 413', async () => {
      const body = JSON.stringify({ ...validAttempt, customer_name: 'x'.repeat(17 * 1024) });
      await expectRejectedWithoutAppend(() => postJson(running.baseUrl, '/api/reservations', body), {
        status: 413,
        mentions: /body|large|size|16/i,
      });
    });

    it.each(['text/plain', 'application/xml'])('content type %s → 415 naming the content type', async (type) => {
      await expectRejectedWithoutAppend(
        () =>
          fetch(`${running.baseUrl}/api/reservations`, {
            method: 'POST',
            headers: { 'content-type': type },
            body: JSON.stringify(validAttempt),
          }),
        { status: 415, mentions: new RegExp(`content-type ${type}.*application/json`) },
      );
    });
  });

  describe('routes and path parameters', () => {
    it('an unknown route → JSON 404', async () => {
      const body = await expectRejectedWithoutAppend(() => fetch(`${running.baseUrl}/api/nothing-here`), {
        status: 404,
        mentions: /nothing-here|not found/i,
      });
      expect(body.error).toBe('Not Found');
    });

    it('GET /api/seats/abc → 400 naming the seat id', async () => {
      await expectRejectedWithoutAppend(() => fetch(`${running.baseUrl}/api/seats/abc`), {
        status: 400,
        mentions: /seat id/,
      });
    });

    it('GET /api/seats/0 and /api/seats/MAX_SEATS+1 → 404', async () => {
      for (const seat of [0, MAX_SEATS + 1]) {
        await expectRejectedWithoutAppend(() => fetch(`${running.baseUrl}/api/seats/${seat}`), {
          status: 404,
          mentions: new RegExp(`seat ${seat}`),
        });
      }
    });

    it('GET /api/reservations/not-a-uuid → 400 naming the id', async () => {
      await expectRejectedWithoutAppend(() => fetch(`${running.baseUrl}/api/reservations/not-a-uuid`), {
        status: 400,
        mentions: /id must be a UUID/,
      });
    });

    it('GET /api/reservations/<unknown uuid> → 404', async () => {
      await expectRejectedWithoutAppend(
        () => fetch(`${running.baseUrl}/api/reservations/6f1c1f8e-8a3b-4c1e-9a53-2b8d4f0e7c11`),
        { status: 404, mentions: /not found/ },
      );
    });

    it('GET /api/reservations with a bad query → 400 naming the parameter', async () => {
      await expectRejectedWithoutAppend(() => fetch(`${running.baseUrl}/api/reservations?limit=5000`), {
        status: 400,
        mentions: /limit/,
      });
      await expectRejectedWithoutAppend(() => fetch(`${running.baseUrl}/api/reservations?outcome=maybe`), {
        status: 400,
        mentions: /outcome/,
      });
    });
  });

  describe('NUL in the URL and deeply nested JSON (issue 13.7)', () => {
    it.each([
      '/api/reservations?server_id=%00',
      '/api/conflicts?server_id=%00',
      '/api/stats?run_id=%00',
      '/api/conflicts/%00',
      '/api/simulation/runs/1%00',
      '/api/seats/1/timeline?run_id=a%00b',
    ])('GET %s → 400 naming the NUL', async (path) => {
      await expectRejectedWithoutAppend(() => fetch(`${running.baseUrl}${path}`), { status: 400, mentions: /NUL/ });
    });

    it('a body nested 1,500 levels deep → 400 naming the depth', async () => {
      const nested = `${'['.repeat(1500)}${']'.repeat(1500)}`;
      await expectRejectedWithoutAppend(
        () =>
          fetch(`${running.baseUrl}/api/reservations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: `{"seat_id":1,"customer_name":"Ana","server_id":"server-1","x":${nested}}`,
          }),
        { status: 400, mentions: /nested more than 32 levels/ },
      );
    });
  });

  // Last on purpose: the seat it reserves settles later and appends SeatAssigned,
  // which would race the "nothing appended" checks above.
  describe('after all the rejections', () => {
    it('still accepts a valid attempt (the checks do not just reject everything)', async () => {
      const before = await logLength();
      const response = await postJson(running.baseUrl, '/api/reservations', validAttempt);
      expect(response.status).toBe(201);
      expect(await logLength()).toBeGreaterThan(before);
    });

    it('a customer_name is stored in Unicode NFC (two spellings of é are one name)', async () => {
      const decomposed = 'Jose\u0301';
      const response = await postJson(running.baseUrl, '/api/reservations', {
        ...validAttempt,
        seat_id: 3,
        customer_name: decomposed,
      });
      expect(response.status).toBe(201);
      expect(((await response.json()) as { customer_name: string }).customer_name).toBe('Jos\u00e9');
    });
  });

  describe('OpenAPI', () => {
    it('/docs answers HTML', async () => {
      const response = await fetch(`${running.baseUrl}/docs`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(await response.text()).toMatch(/swagger/i);
    });

    it('/docs-json lists the seed routes with snake_case fields', async () => {
      const response = await fetch(`${running.baseUrl}/docs-json`);
      expect(response.status).toBe(200);
      const document = (await response.json()) as {
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      };
      expect(document.openapi).toMatch(/^3\./);
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/api/seats', '/api/seats/{id}', '/api/reservations', '/health']),
      );
      expect(document.paths['/api/reservations']).toHaveProperty('post');

      const fieldsOf = (schema: string): string[] => Object.keys(document.components.schemas[schema]?.properties ?? {});
      expect(fieldsOf('CreateReservationDto')).toEqual(
        expect.arrayContaining(['seat_id', 'customer_name', 'server_id']),
      );
      expect(fieldsOf('SeatResponse')).toEqual(expect.arrayContaining(['id', 'is_available', 'reservation']));
      expect(fieldsOf('ReservationResponse')).toEqual(expect.arrayContaining(['created_at', 'seat_id']));
      const allFields = Object.values(document.components.schemas).flatMap((schema) =>
        Object.keys(schema.properties ?? {}),
      );
      expect(allFields.filter((field) => field !== field.toLowerCase())).toEqual([]);
    });
  });
});
