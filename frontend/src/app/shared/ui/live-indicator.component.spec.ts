import { TestBed } from '@angular/core/testing';
import { LiveIndicatorComponent } from './live-indicator.component';

describe('LiveIndicatorComponent', () => {
  it.each([
    ['live', 'Live'],
    ['catching-up', 'Catching up'],
    ['disconnected', 'Disconnected'],
  ] as const)('shows %s as "%s"', async (status, label) => {
    const fixture = TestBed.createComponent(LiveIndicatorComponent);
    fixture.componentRef.setInput('status', status);
    fixture.componentRef.setInput('detail', 'why');
    await fixture.whenStable();
    const indicator: HTMLElement = fixture.nativeElement.querySelector('[role=status]');
    expect(indicator.getAttribute('data-status')).toBe(status);
    expect(indicator.textContent?.trim()).toBe(label);
    expect(indicator.title).toBe('why');
  });
});
