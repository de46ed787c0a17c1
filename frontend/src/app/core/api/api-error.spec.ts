import { HttpErrorResponse } from '@angular/common/http';
import { fieldErrorsFrom, isUnreachable, toApiError } from './api-error';
import { normaliseServerClocks } from './server-clocks';

describe('toApiError', () => {
  it('keeps every API message and maps those naming a field onto it', () => {
    const error = toApiError(
      new HttpErrorResponse({
        status: 400,
        error: {
          statusCode: 400,
          error: 'Bad Request',
          message: ['seat_id must be at least 1', 'customer_name must not be empty', 'try later'],
        },
      }),
      ['seat_id', 'customer_name', 'server_id'],
    );
    expect(error.status).toBe(400);
    expect(error.messages).toHaveLength(3);
    expect(error.fieldErrors).toEqual({
      seat_id: ['seat_id must be at least 1'],
      customer_name: ['customer_name must not be empty'],
    });
  });

  it('accepts a single string message and a missing body', () => {
    expect(toApiError(new HttpErrorResponse({ status: 404, error: { message: 'Cannot GET /x' } })).messages).toEqual([
      'Cannot GET /x',
    ]);
    const unreachable = toApiError(new HttpErrorResponse({ status: 0 }));
    expect(unreachable.messages).toEqual(['The backend is unreachable.']);
    expect(isUnreachable(unreachable)).toBe(true);
  });

  it('ignores messages that start with an unknown word', () => {
    expect(fieldErrorsFrom(['server_id "x" is not a booking server', 'store down'], ['server_id'])).toEqual({
      server_id: ['server_id "x" is not a booking server'],
    });
  });
});

describe('normaliseServerClocks', () => {
  it('reads a list, a map keyed by server, or a wrapped list', () => {
    const fields = {
      offset_ms: 5,
      drift_ppm: 1,
      jitter_ms: 0,
      outbound_delay_ms: 2,
      inbound_delay_ms: 3,
      never_syncs: true,
    };
    const expected = [{ server_id: 'server-1', ...fields }];
    expect(normaliseServerClocks([{ server_id: 'server-1', ...fields }])).toEqual(expected);
    expect(normaliseServerClocks({ 'server-1': fields })).toEqual(expected);
    expect(normaliseServerClocks({ items: [{ server_id: 'server-1', configured: fields }] })).toEqual(expected);
    expect(normaliseServerClocks(null)).toEqual([]);
  });
});
