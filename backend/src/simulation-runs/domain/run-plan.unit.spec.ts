import { planRun } from './run-plan';
import { runIdFor } from './run-identity';
import { parseRunParameters, RunParametersError, type RunRequest } from './run-parameters';

const defaults = { conflictWindowMs: 2000, servers: 5 };
const planFor = (request: RunRequest) => {
  const parameters = parseRunParameters(request, defaults);
  return planRun(runIdFor(parameters), parameters);
};
const base = { scenario: 'major_drift', seed: 42, seats: 40, attempts_per_seat: 4, spread_ms: 1500 };
const appendedEvents = (plan: ReturnType<typeof planFor>) => [
  plan.started,
  ...plan.steps.flatMap((step) => step.events),
  plan.completed,
];

describe('planRun', () => {
  it('plans the same events, ids included, for the same seed and parameters', () => {
    const first = planFor(base);
    const second = planFor({ ...base });
    expect(first.runId).toBe(second.runId);
    expect(JSON.stringify(appendedEvents(first))).toBe(JSON.stringify(appendedEvents(second)));
    expect(first.steps.map((step) => step.streamId)).toEqual(second.steps.map((step) => step.streamId));
  });

  it('plans different events for another seed', () => {
    const first = planFor(base);
    const other = planFor({ ...base, seed: 43 });
    expect(other.runId).not.toBe(first.runId);
    const times = (plan: ReturnType<typeof planFor>) =>
      plan.steps.flatMap((step) =>
        step.events.flatMap(({ event }) =>
          event.type === 'ReservationAttempted' ? [event.data.clock.serverTimeMs] : [],
        ),
      );
    expect(times(other)).not.toEqual(times(first));
  });

  it('tags every event with the run id and settles every seat once', () => {
    const plan = planFor(base);
    for (const { event } of appendedEvents(plan)) expect(event.data.runId).toBe(plan.runId);
    const settled = plan.steps
      .filter((step) => step.kind === 'settle')
      .map((step) => step.kind === 'settle' && step.seatId);
    expect(new Set(settled).size).toBe(40);
    expect(settled).toHaveLength(40);
    expect(plan.summary.attempts).toBe(160);
  });

  it('keeps arrivals and customers when only the clocks change (what-if)', () => {
    const first = planFor(base);
    const whatIf = planFor({ ...base, overrides: { '*': { offset_ms: 0, drift_ppm: 0 } } });
    const arrivals = (plan: ReturnType<typeof planFor>) =>
      plan.steps.flatMap((step) =>
        step.events.flatMap(({ event }) =>
          event.type === 'ReservationAttempted'
            ? [`${event.data.customerName}@${event.data.clock.serverId}@${event.data.clock.referenceTimeMs}`]
            : [],
        ),
      );
    expect(arrivals(whatIf)).toEqual(arrivals(first));
    expect(whatIf.summary.correctSeats.server_clock).toBeGreaterThan(first.summary.correctSeats.server_clock);
  });

  it('chunks attempts in appends of at most 1000 events', () => {
    const plan = planFor({ ...base, seats: 600, attempts_per_seat: 5, spread_ms: 300 });
    const chunks = plan.steps.filter((step) => step.kind === 'attempts');
    expect(chunks.length).toBeLessThanOrEqual(4);
    for (const chunk of chunks) expect(chunk.events.length).toBeLessThanOrEqual(1000);
  });

  it('with zero skew and symmetric delays, server_clock and ntp_corrected always pick the true first', () => {
    const { summary } = planFor({ ...base, scenario: 'synchronized', seats: 200 });
    expect(summary.contendedSeats).toBeGreaterThan(150);
    expect(summary.correctSeats.server_clock).toBe(summary.contendedSeats);
    expect(summary.correctSeats.ntp_corrected).toBe(summary.contendedSeats);
    expect(summary.conflicts.inversion).toBe(0);
    expect(summary.worstInversion).toBeNull();
  });

  it('with extreme_drift server_clock gets it wrong and ntp_corrected stays right', () => {
    const { summary } = planFor({ ...base, scenario: 'extreme_drift', seats: 200, spread_ms: 5000 });
    expect(summary.correctSeats.server_clock).toBeLessThan(summary.contendedSeats * 0.9);
    expect(summary.correctSeats.ntp_corrected).toBe(summary.contendedSeats);
    expect(summary.worstInversion?.gapMs).toBeGreaterThan(1000);
  });

  it('with asymmetric delays ntp_corrected is wrong too', () => {
    const { summary } = planFor({
      ...base,
      scenario: 'synchronized',
      seats: 200,
      spread_ms: 200,
      overrides: { 'server-1': { outbound_delay_ms: 400, inbound_delay_ms: 5 }, 'server-2': { inbound_delay_ms: 400 } },
    });
    expect(summary.correctSeats.ntp_corrected).toBeLessThan(summary.contendedSeats);
  });

  it('makes a late attempt (after the window) lose without a revocation', () => {
    const plan = planFor({ ...base, seats: 5, attempts_per_seat: 6, spread_ms: 10_000, conflict_window_ms: 2000 });
    const late = plan.steps.flatMap((step) =>
      step.events.filter(
        ({ event }) => event.type === 'ReservationAttempted' && event.data.localDecision === 'rejected',
      ),
    );
    expect(late.length).toBeGreaterThan(0);
    const settledSeats = new Set<number>();
    for (const step of plan.steps) {
      if (step.kind === 'settle') settledSeats.add(step.seatId);
      else
        for (const { event } of step.events)
          if (event.type === 'ReservationAttempted' && event.data.localDecision === 'rejected')
            expect(settledSeats.has(event.data.seatId)).toBe(true);
    }
  });
});

describe('parseRunParameters', () => {
  it('names every wrong field', () => {
    const attempt = () =>
      parseRunParameters({ scenario: 'nope', seed: -1, seats: 0, attempts_per_seat: 1.5, spread_ms: 'x' }, defaults);
    expect(attempt).toThrow(RunParametersError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as RunParametersError).problems.join('\n');
      for (const field of ['scenario', 'seed', 'seats', 'attempts_per_seat', 'spread_ms'])
        expect(problems).toContain(field);
    }
  });

  it('refuses absurd sizes and unknown override servers', () => {
    expect(() => parseRunParameters({ ...base, seats: 100_000, attempts_per_seat: 100 }, defaults)).toThrow(/at most/);
    expect(() => parseRunParameters({ ...base, overrides: { 'server-9': { offset_ms: 1 } } }, defaults)).toThrow(
      /unknown server/,
    );
  });
});
