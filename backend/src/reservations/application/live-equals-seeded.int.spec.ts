/**
 * Acceptance of the resolution issue: live and seeded runs of the same clocks
 * and attempts give the same holders. The seeded run decides on its virtual
 * clock (simulation-runs/domain/run-simulation.ts); the live lab's settlement
 * process (a real event store, the real projection and projection runner, the
 * real seat-stream handler) sees the very same attempts reach its log at the
 * same (virtual) moments, and is told "time passed" as the timer would.
 */
import type { CommandBus } from '@nestjs/cqrs';
import { VirtualReferenceClock } from '../../clocks/ntp/virtual-reference-clock';
import type { AppConfig } from '../../config/environment';
import { waitUntilVisible } from '../../event-store/contract/contract-helpers';
import type { JsonObject } from '../../event-store/event-store.port';
import { openReadModelFixture, type ReadModelFixture } from '../../testing/read-model-fixture';
import { testDatabaseTargets } from '../../testing/test-databases';
import { materialisePlan, parseRunParameters, runIdFor } from '../../simulation-runs/domain';
import { createSeededRandom } from '../../clocks/domain';
import { deterministicUuid } from '../../shared/deterministic-uuid';
import type { ReservationAttempted } from '../domain/seat-events';
import { attemptStreamId } from '../domain/streams';
import { SeatStreamHandler } from './seat-stream.handler';
import type { SeatStreamCommand } from './seat-stream.command';
import { SettlementProcess } from './settlement-process';

const parameters = parseRunParameters(
  {
    scenario: 'major_drift',
    seed: 2026,
    seats: 24,
    attempts_per_seat: 5,
    spread_ms: 2600,
    seat_interval_ms: 150,
    conflict_window_ms: 1000,
    // Asymmetric paths make NTP wrong on two servers; a third never syncs: every kind of decision happens.
    overrides: {
      '*': { jitter_ms: 0 },
      'server-1': { outbound_delay_ms: 120, inbound_delay_ms: 5 },
      'server-2': { never_syncs: true },
    },
  },
  { conflictWindowMs: 1000, servers: 5 },
);

describe.each(testDatabaseTargets())('live settlement and seeded run on $name', (target) => {
  let fixture: ReadModelFixture;
  let settlement: SettlementProcess;
  const clock = new VirtualReferenceClock(0);

  beforeAll(async () => {
    fixture = await openReadModelFixture(await target.open());
    const handler = new SeatStreamHandler(fixture.store);
    // The one piece of Nest wiring left out: the command bus hands the command to its handler.
    const commandBus = { execute: (command: SeatStreamCommand) => handler.execute(command) } as unknown as CommandBus;
    const config = { CONFLICT_WINDOW_MS: parameters.conflictWindowMs, SETTLEMENT_GRACE_MS: 250 } as AppConfig;
    settlement = new SettlementProcess(fixture.runner, fixture.dataSource, fixture.store, clock, config, commandBus);
    await settlement.onApplicationBootstrap();
  });
  afterAll(async () => {
    settlement?.onApplicationShutdown();
    await fixture?.dispose();
  });

  /** Everything the live side has to do at this moment: project, settle, project what it appended. */
  const settleUp = async (): Promise<void> => {
    for (let round = 0; round < 10; round += 1) {
      await fixture.runner.catchUp();
      await settlement.checkDue();
      await settlement.idle();
      const { head, projected } = await fixture.runner.lag();
      if (projected >= head) return;
    }
  };

  /** A copy of an attempt on seat + NOISE_SEATS whose reference ("true") time is noise. */
  const NOISE_SEATS = 100;
  const noise = createSeededRandom(7);
  const noisyIdOf = (attemptId: string) => deterministicUuid('noise', attemptId);
  const withNoisyTruth = (data: ReservationAttempted['data']): ReservationAttempted['data'] => ({
    ...data,
    attemptId: noisyIdOf(data.attemptId),
    seatId: data.seatId + NOISE_SEATS,
    clock: { ...data.clock, referenceTimeMs: data.clock.referenceTimeMs + (noise() - 0.5) * 7_200_000 },
  });

  it('gives every seat to the same holder, revokes the same attempts, and decides the same way; truth never decides', async () => {
    const plan = materialisePlan(runIdFor(parameters), parameters);
    const arrivals = plan.steps.flatMap((step) => (step.kind === 'attempts' ? step.events : []));
    const seeded = plan.steps.flatMap((step) => (step.kind === 'settle' ? step.events.map(({ event }) => event) : []));
    for (const { event, atMs } of arrivals) {
      clock.set(atMs!);
      // "Time passed" up to this arrival (a seat due earlier sees exactly the same log head it would have).
      await settleUp();
      const live: ReservationAttempted['data'] = { ...event.data, runId: null };
      let appendedAt = 0n;
      for (const data of [live, withNoisyTruth(live)]) {
        ({ position: appendedAt } = await fixture.store.append(attemptStreamId(data.attemptId), [
          { id: data.attemptId, type: 'ReservationAttempted', data: data as unknown as JsonObject },
        ]));
      }
      // The attempt reached the log now: on a shared server, a transaction open in another database
      // can hold it invisible a while, and the next "time passed" must not settle without it.
      await waitUntilVisible(fixture.store, appendedAt, 30_000);
      await fixture.runner.catchUp();
    }
    clock.set(clock.nowMs() + 3_600_000);
    await settleUp();

    const liveHolders = await fixture.query<{ seat_id: number; holder_attempt_id: string; decided_by: string }>(
      `SELECT seat_id, holder_attempt_id, decided_by FROM rm_seats WHERE run_id = '' AND seat_id <= $1 ORDER BY seat_id`,
      [NOISE_SEATS],
    );
    const seededHolders = seeded
      .flatMap((event) => (event.type === 'SeatAssigned' ? [event.data] : []))
      .map((data) => ({ seat_id: data.seatId, holder_attempt_id: data.attemptId, decided_by: data.decidedBy }))
      .sort((a, b) => a.seat_id - b.seat_id);
    expect(liveHolders).toHaveLength(parameters.seats);
    expect(liveHolders).toEqual(seededHolders);
    // The run exercised both decisions: by time, and by log order where time could not tell.
    expect(new Set(seededHolders.map((holder) => holder.decided_by))).toEqual(new Set(['ntp_corrected', 'log_order']));

    const liveRevoked = await fixture.query<{ attempt_id: string }>(
      `SELECT attempt_id FROM rm_attempts WHERE run_id = '' AND revoked AND seat_id <= $1 ORDER BY attempt_id`,
      [NOISE_SEATS],
    );
    const seededRevoked = seeded
      .flatMap((event) => (event.type === 'ReservationRevoked' ? [event.data.attemptId] : []))
      .sort();
    expect(seededRevoked.length).toBeGreaterThan(0);
    expect(liveRevoked.map((row) => row.attempt_id)).toEqual(seededRevoked);

    // The same attempts with their truth replaced by noise: the same decisions, only the scoring moves.
    const decisions = async (from: number, to: number) =>
      fixture.query<Record<string, unknown>>(
        `SELECT seat_id - $1 AS seat, holder_attempt_id, decided_by, conflict_kinds, candidates_count, competing_count,
                authoritative_attempt_id, winner_server_clock, winner_ntp_corrected, winner_log_order, winner_hlc
           FROM rm_seats WHERE run_id = '' AND seat_id > $1 AND seat_id <= $2 ORDER BY seat_id`,
        [from, to],
      );
    const cleanIdOf = new Map(arrivals.map(({ event }) => [noisyIdOf(event.data.attemptId), event.data.attemptId]));
    const backToClean = (row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).map(([column, value]) => [column, cleanIdOf.get(String(value)) ?? value]));
    const clean = await decisions(0, NOISE_SEATS);
    const noisy = (await decisions(NOISE_SEATS, 2 * NOISE_SEATS)).map(backToClean);
    expect(noisy).toEqual(clean);
    // The noise did reach the scoring (else the comparison above would prove nothing).
    const truthOf = async (from: number, to: number) =>
      (
        await fixture.query<{ winner_truth: string }>(
          `SELECT winner_truth FROM rm_seats WHERE run_id = '' AND seat_id > $1 AND seat_id <= $2 ORDER BY seat_id`,
          [from, to],
        )
      ).map((row) => cleanIdOf.get(row.winner_truth) ?? row.winner_truth);
    const cleanTruth = await truthOf(0, NOISE_SEATS);
    const noisyTruth = await truthOf(NOISE_SEATS, 2 * NOISE_SEATS);
    expect(noisyTruth.filter((id, index) => id !== cleanTruth[index]).length).toBeGreaterThan(0);
  }, 240_000);
});
