import { planRun } from './run-plan';
import type { PlannedEvent } from './run-simulation';
import { runIdFor } from './run-identity';
import { parseRunParameters, RunParametersError, type RunRequest } from './run-parameters';

const defaults = { conflictWindowMs: 2000, servers: 5 };
const planFor = (request: RunRequest) => {
  const parameters = parseRunParameters(request, defaults);
  return planRun(runIdFor(parameters), parameters);
};
const base = { scenario: 'major_drift', seed: 42, seats: 40, attempts_per_seat: 4, spread_ms: 1500 };
type AnyPlannedEvent = PlannedEvent<{ type: string; data: { runId?: string | null } }>;
const appendedEvents = (plan: ReturnType<typeof planFor>): AnyPlannedEvent[] => [
  plan.started,
  ...plan.steps.flatMap((step): readonly AnyPlannedEvent[] => step.events),
  plan.completed,
];
const attemptsOf = (plan: ReturnType<typeof planFor>) =>
  plan.steps.flatMap((step) => (step.kind === 'attempts' ? step.events.map(({ event }) => event) : []));
const seatEventsOf = (plan: ReturnType<typeof planFor>) =>
  plan.steps.flatMap((step) => (step.kind === 'settle' ? step.events.map(({ event }) => event) : []));

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
    const times = (plan: ReturnType<typeof planFor>) => attemptsOf(plan).map((event) => event.data.clock.serverTimeMs);
    expect(times(other)).not.toEqual(times(first));
  });

  it('tags every event with the run id and settles every seat once', () => {
    const plan = planFor(base);
    for (const { event } of appendedEvents(plan)) expect(event.data.runId).toBe(plan.runId);
    const settled = seatEventsOf(plan).flatMap((event) => (event.type === 'SeatAssigned' ? [event.data.seatId] : []));
    expect(new Set(settled).size).toBe(40);
    expect(settled).toHaveLength(40);
    expect(plan.summary.attempts).toBe(160);
  });

  it('keeps arrivals and customers when only the clocks change (what-if)', () => {
    const first = planFor(base);
    const whatIf = planFor({ ...base, overrides: { '*': { offset_ms: 0, drift_ppm: 0 } } });
    const arrivals = (plan: ReturnType<typeof planFor>) =>
      attemptsOf(plan)
        .map((event) => `${event.data.customerName}@${event.data.clock.serverId}@${event.data.clock.referenceTimeMs}`)
        .sort();
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

  it('a server that already sees the assignment rejects locally; one that does not yet is revoked later', () => {
    const plan = planFor({ ...base, seats: 30, attempts_per_seat: 6, spread_ms: 10_000, conflict_window_ms: 2000 });
    const assignedSeats = new Set<number>();
    let rejected = 0;
    for (const step of plan.steps) {
      if (step.kind === 'settle') {
        for (const { event } of step.events) if (event.type === 'SeatAssigned') assignedSeats.add(event.data.seatId);
      } else if (step.kind === 'attempts') {
        for (const { event } of step.events) {
          // A local rejection is only ever an answer from a view that already held the assignment.
          if (event.data.localDecision === 'rejected') {
            rejected += 1;
            expect(assignedSeats.has(event.data.seatId)).toBe(true);
          }
        }
      }
    }
    expect(rejected).toBeGreaterThan(0);
    // Every attempt confirmed locally that did not win is revoked exactly once.
    const winners = new Set(
      seatEventsOf(plan).flatMap((event) => (event.type === 'SeatAssigned' ? [event.data.attemptId] : [])),
    );
    const confirmedLosers = attemptsOf(plan).filter(
      (event) => event.data.localDecision === 'confirmed' && !winners.has(event.data.attemptId),
    );
    const revoked = seatEventsOf(plan).flatMap((event) =>
      event.type === 'ReservationRevoked' ? [event.data.attemptId] : [],
    );
    expect(revoked.sort()).toEqual(confirmedLosers.map((event) => event.data.attemptId).sort());
  });

  it('log order is measured: each server reaches the store along its own delayed path', () => {
    const { summary } = planFor({
      ...base,
      scenario: 'asymmetric_network',
      seats: 300,
      attempts_per_seat: 5,
      spread_ms: 60,
    });
    // Attempts a few ms apart reach the log in another order than they happened.
    expect(summary.correctSeats.log_order).toBeLessThan(summary.contendedSeats);
    expect(summary.correctSeats.log_order).toBeGreaterThan(summary.contendedSeats / 3);
  });

  it('time decides whenever the intervals separate the truly first attempt and its bound held', () => {
    const { summary } = planFor({ ...base, scenario: 'major_drift', seats: 400, attempts_per_seat: 3, spread_ms: 800 });
    expect(summary.wrongHolders.unexplained).toBe(0);
    expect(summary.wrongHolders.bound_violation).toBe(0);
    expect(summary.authority.correct + summary.wrongHolders.ambiguous).toBe(summary.authority.seats);
  });

  it('a clock step is detected at the next sync and the attempts stamped since are out of bound', () => {
    const { summary } = planFor({
      ...base,
      scenario: 'clock_step',
      seats: 60,
      attempts_per_seat: 4,
      spread_ms: 800,
      seat_interval_ms: 1000,
      sync_interval_ms: 5000,
    });
    const stepped = summary.servers.filter((server) => server.stepsDetected > 0);
    expect(stepped).toHaveLength(1);
    expect(stepped[0]!.outOfBound).toBeGreaterThan(0);
    expect(stepped[0]!.boundViolations).toBeGreaterThan(0);
    expect(summary.wrongHolders.unexplained).toBe(0);
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
