import { TestBed } from '@angular/core/testing';
import { ApiCallError } from '../../core/api/api-error';
import { FakeLabApi, fakeLabApi, provideFakeLabApi } from '../../../testing/fake-lab-api';
import { invertedTimeline, seat, timeStatus } from '../../../testing/fixtures';
import { SeatsStore } from '../seats/seats.store';
import { InversionGuide } from './inversion-guide';

describe('InversionGuide ("Show me an inversion")', () => {
  let api: FakeLabApi;

  beforeEach(() => {
    api = fakeLabApi();
    api.applyScenario.mockResolvedValue({ scenario: 'extreme_drift', seed: 1, servers: [] });
    api.timeStatus.mockResolvedValue([
      timeStatus('server-1', { true_offset_ms: 2_000 }),
      timeStatus('server-2', { true_offset_ms: 23_280 }),
      timeStatus('server-3', { true_offset_ms: -8_120 }),
    ]);
    api.seats.mockResolvedValue([seat(7, { status: 'taken', attempts_count: 1 }), seat(8), seat(9)]);
    api.reserve.mockImplementation(() => Promise.resolve({ id: 'r' }));
    api.seatTimeline.mockResolvedValue({ ...invertedTimeline(), seat_id: 8 });
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api), SeatsStore, InversionGuide] });
  });

  it('applies extreme_drift, sends Ana through the clock furthest ahead then Bob through the one furthest behind, and opens the seat', async () => {
    const guide = TestBed.inject(InversionGuide);
    await guide.run();
    expect(api.applyScenario).toHaveBeenCalledWith('extreme_drift');
    // Seat 7 was tried already: the first untried seat.
    expect(api.reserve.mock.calls.map(([request]) => request)).toEqual([
      { seat_id: 8, customer_name: 'Ana', server_id: 'server-2' },
      { seat_id: 8, customer_name: 'Bob', server_id: 'server-3' },
    ]);
    expect(TestBed.inject(SeatsStore).selectedSeatId()).toBe(8);
    const narration = guide.steps().map((step) => step.text);
    expect(narration[1]).toBe('server-2 runs +23.3 s, server-3 -8.1 s: the two clocks furthest apart.');
    expect(narration.at(-1)).toContain('the seat goes to Ana by NTP-corrected time');
    expect(guide.steps().every((step) => step.state === 'done')).toBe(true);
  });

  it('stops with a plain reason when a step is refused', async () => {
    api.applyScenario.mockRejectedValue(
      new ApiCallError({ status: 403, messages: ['simulation is disabled'], fieldErrors: {} }),
    );
    const guide = TestBed.inject(InversionGuide);
    await guide.run();
    expect(api.reserve).not.toHaveBeenCalled();
    expect(guide.steps().map((step) => step.state)).toEqual(['failed', 'failed']);
    expect(guide.steps()[1].text).toBe('Stopped: Simulation is disabled');
    expect(guide.running()).toBe(false);
  });
});
