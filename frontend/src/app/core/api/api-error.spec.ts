import { HttpErrorResponse } from '@angular/common/http';
import { fieldErrorsFrom, isUnreachable, toApiError } from './api-error';

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
