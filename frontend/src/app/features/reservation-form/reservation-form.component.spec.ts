import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { ApiCallError, toApiError } from '../../core/api/api-error';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../../../testing/fake-lab-api';
import { timeStatus } from '../../../testing/fixtures';
import { ReservationFormComponent } from './reservation-form.component';

function badRequest(messages: string[]): ApiCallError {
  return new ApiCallError(
    toApiError(
      new HttpErrorResponse({
        status: 400,
        statusText: 'Bad Request',
        error: { statusCode: 400, error: 'Bad Request', message: messages },
      }),
    ),
  );
}

const reservation = (serverId: string) => ({
  id: `r-${serverId}`,
  seat_id: 7,
  customer_name: 'Ana',
  server_id: serverId,
  status: 'confirmed',
  outcome: 'pending',
  outcome_reason: null,
  server_time: '2025-01-01T12:00:00.000Z',
  reference_time: '2025-01-01T12:00:00.000Z',
  ntp_corrected_time: '2025-01-01T12:00:00.000Z',
  error_bound_ms: 2,
  log_position: '1',
  created_at: '2025-01-01T12:00:00.000Z',
});

describe('ReservationFormComponent', () => {
  let api: FakeLabApi;

  async function render() {
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api)] });
    const fixture = TestBed.createComponent(ReservationFormComponent);
    fixture.componentRef.setInput('maxSeat', 100);
    await settle(fixture);
    const element: HTMLElement = fixture.nativeElement;
    const type = (name: string, value: string) => {
      const input = element.querySelector<HTMLInputElement>(`input[name=${name}]`)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    const submit = async () => {
      element.querySelector('form')!.dispatchEvent(new Event('submit'));
      await settle(fixture);
    };
    const fieldError = (field: string) => element.querySelector(`[data-field=${field}]`)?.textContent?.trim();
    return { fixture, element, type, submit, fieldError };
  }

  beforeEach(() => {
    jest.useRealTimers();
    api = fakeLabApi();
    api.timeStatus.mockResolvedValue([
      timeStatus('server-1', { true_offset_ms: 23_280 }),
      timeStatus('server-2', { true_offset_ms: -150 }),
    ]);
    api.reservation.mockImplementation((id: string) =>
      Promise.resolve({ ...reservation(id.slice(2)), outcome: 'won' }),
    );
  });

  it('refuses invalid input beside each field without calling the API', async () => {
    const { type, submit, fieldError } = await render();
    type('customer_name', 'x'.repeat(101));
    type('seat_id', '0');
    await submit();
    expect(fieldError('customer_name')).toBe('Customer name must be at most 100 characters');
    expect(fieldError('seat_id')).toBe('Seat must be between 1 and 100');
    expect(api.reserve).not.toHaveBeenCalled();
  });

  it('sends a valid reservation to the chosen server and shows the outcome', async () => {
    api.reserve.mockResolvedValue(reservation('server-1'));
    const { type, submit, element } = await render();
    type('customer_name', ' Ana ');
    type('seat_id', '7');
    await submit();
    expect(api.reserve).toHaveBeenCalledWith({ customer_name: 'Ana', seat_id: 7, server_id: 'server-1' });
    expect(element.querySelector('table.results tr[data-outcome=pending]')).not.toBeNull();
  });

  it('keeps a list of the attempts sent, newest first', async () => {
    api.reserve.mockImplementation((request: { server_id: string }) => Promise.resolve(reservation(request.server_id)));
    const { type, submit, element } = await render();
    type('customer_name', 'Ana');
    type('seat_id', '7');
    await submit();
    type('customer_name', 'Bob');
    await submit();
    const customers = [...element.querySelectorAll('table.results tbody tr td:nth-child(2)')].map(
      (cell) => cell.textContent,
    );
    expect(customers).toEqual(['Bob', 'Ana']);
  });

  it('shows each booking server with its clock offset in the picker', async () => {
    const { element } = await render();
    const options = [...element.querySelectorAll('select[name=server_id] option')].map((option) =>
      option.textContent?.trim(),
    );
    expect(options).toEqual(['server-1 · clock +23.3 s', 'server-2 · clock -150.0 ms']);
  });

  it('shows the API field errors beside their fields, and the rest above the results', async () => {
    api.reserve.mockRejectedValue(badRequest(['seat_id must not be greater than 50', 'store is busy']));
    const { type, submit, fieldError, element } = await render();
    type('customer_name', 'Ana');
    type('seat_id', '77');
    await submit();
    // The API's field names become the form's words.
    expect(fieldError('seat_id')).toBe('Seat must not be greater than 50');
    expect(element.querySelector('lab-api-error [role=alert]')?.textContent).toContain('Store is busy');
  });

  it('bursts the same seat through every checked server at once', async () => {
    api.reserve.mockImplementation((request: { server_id: string }) => Promise.resolve(reservation(request.server_id)));
    const { type, element, fixture } = await render();
    type('customer_name', 'Bob');
    type('seat_id', '9');
    element.querySelector<HTMLButtonElement>('[data-testid=burst]')!.click();
    await settle(fixture);
    expect(api.reserve.mock.calls.map(([request]) => request)).toEqual([
      { seat_id: 9, server_id: 'server-1', customer_name: 'Bob @server-1' },
      { seat_id: 9, server_id: 'server-2', customer_name: 'Bob @server-2' },
    ]);
    expect(element.querySelectorAll('table.results tbody tr')).toHaveLength(2);
  });
});
