import { TestBed } from '@angular/core/testing';
import { BackendHealth } from '../../core/live/backend-health.service';
import { ApiError } from '../../core/api/api-error';
import { ApiErrorMessageComponent } from './api-error-message.component';

describe('ApiErrorMessageComponent', () => {
  async function render(error: ApiError) {
    const fixture = TestBed.createComponent(ApiErrorMessageComponent);
    fixture.componentRef.setInput('error', error);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('writes the API’s field names as plain words', async () => {
    const { element } = await render({
      status: 400,
      messages: ['attempts_per_seat must be at most 1000'],
      fieldErrors: {},
    });
    expect(element.textContent).toContain('Not accepted');
    expect(element.textContent).toContain('Attempts per seat must be at most 1000');
  });

  it('clears "Backend unreachable" once the backend is back, keeps other errors', async () => {
    const { fixture, element } = await render({
      status: 0,
      messages: ['The backend is unreachable.'],
      fieldErrors: {},
    });
    expect(element.textContent).toContain('Backend unreachable');
    TestBed.inject(BackendHealth).recoveries.update((n) => n + 1);
    await fixture.whenStable();
    expect(element.querySelector('[role=alert]')).toBeNull();

    fixture.componentRef.setInput('error', { status: 500, messages: ['boom'], fieldErrors: {} });
    await fixture.whenStable();
    TestBed.inject(BackendHealth).recoveries.update((n) => n + 1);
    await fixture.whenStable();
    expect(element.textContent).toContain('Error 500');
  });
});
