/**
 * A seeded run as a discrete-event simulation on a virtual reference clock.
 * Customers reach booking servers (attempt-generator.ts); each server stamps
 * the attempt with its own clock (simulated-booking-server.ts) and answers
 * from its own view of the seat (it sees an assignment once that is in the
 * log); the attempt then travels to the event store along the server's path
 * (a seeded delay with jitter), so log order is measured, not equal to true
 * order by construction. The authority reads the log as events arrive and
 * settles each seat with the same settlement workflow and resolution rule the
 * live lab uses (reservations/domain/settlement): the truth is never read to
 * decide, only carried for the report.
 *
 * Yields the appends in log order; returns what the report needs. A seat's
 * resolution only has to sit between the attempts of that seat it considered
 * and the ones it did not, so it is appended when the next attempt of that
 * seat (or a full chunk) comes: other seats' attempts keep filling one chunk.
 */
import type { ClockConfig, ClockStepDetected } from '../../clocks/domain';
import { decideAttempt } from '../../reservations/domain/attempt-decider';
import { attemptFactsOf } from '../../reservations/domain/attempt-facts';
import { decideSeat, evolveSeat, initialSeatState, type SeatState } from '../../reservations/domain/seat-decider';
import type { ReservationAttempted, SeatStreamEvent } from '../../reservations/domain/seat-events';
import {
  initialSettlementState,
  settlementDueAtMs,
  stepSettlement,
  type SeatSettlementState,
  type SettlementCommand,
  type SettlementInput,
} from '../../reservations/domain/settlement/settlement-workflow';
import { seatStreamId } from '../../reservations/domain/streams';
import { ArrivalStream, lastArrivalMsOf, type Arrival } from './attempt-generator';
import { EventQueue } from './event-queue';
import { deterministicUuid, runChunkStreamId, runClockStreamId } from './run-identity';
import type { RunParameters } from './run-parameters';
import { SimulatedBookingServer, type StepAtSync } from './simulated-booking-server';
import { RunSummaryAccumulator, suspectEpochKey, type RunSummary, type SeatRecord } from './run-summary';

/** 500–1000 events per append keeps a 100,000-attempt run to ~100 appends of attempts. */
export const ATTEMPTS_PER_CHUNK = 1000;

/** How long the authority waits after a window closes for attempts still on their way to the log. */
export const RUN_SETTLEMENT_GRACE_MS = 250;

export interface PlannedEvent<E extends { type: string; data: object } = SeatStreamEvent | ReservationAttempted> {
  readonly id: string;
  readonly event: E;
  /** When (virtual reference time) the event reached the log. */
  readonly atMs?: number;
}

/** The expected revision of an append: the stream is new, or its last revision is this. */
export type PlannedRevision = 'no_stream' | number;

export type RunStep =
  | {
      readonly kind: 'attempts';
      readonly streamId: string;
      readonly expectedRevision: PlannedRevision;
      readonly events: readonly PlannedEvent<ReservationAttempted>[];
    }
  | {
      readonly kind: 'settle';
      readonly seatId: number;
      readonly streamId: string;
      readonly expectedRevision: PlannedRevision;
      readonly events: readonly PlannedEvent<SeatStreamEvent>[];
    }
  | {
      readonly kind: 'clock';
      readonly serverId: string;
      readonly streamId: string;
      readonly expectedRevision: PlannedRevision;
      readonly events: readonly PlannedEvent<ClockStepDetected>[];
    };

export interface RunOutcome {
  readonly attempts: number;
  readonly attemptChunks: number;
  readonly seatsSettled: number;
  readonly revoked: number;
  readonly summary: RunSummary;
}

type SimulationEvent =
  | { readonly kind: 'sync'; readonly atMs: number; readonly rank: 0; readonly server: SimulatedBookingServer }
  | { readonly kind: 'tick'; readonly atMs: number; readonly rank: 1; readonly seatId: number }
  | {
      readonly kind: 'attempt-arrives';
      readonly atMs: number;
      readonly rank: 3;
      readonly event: ReservationAttempted;
    }
  | { readonly kind: 'step-arrives'; readonly atMs: number; readonly rank: 3; readonly step: StepAtSync };

/** Among events at the same instant: syncs, then the authority's ticks, then stamps, then arrivals at the store. */
const STAMP_RANK = 2;

interface StreamProgress<S> {
  state: S;
  /** Last revision appended; −1 while the stream does not exist. */
  revision: number;
}

const revisionOf = (stream: StreamProgress<unknown>): PlannedRevision =>
  stream.revision < 0 ? 'no_stream' : stream.revision;

export function* simulateRun(
  runId: string,
  parameters: RunParameters,
  clocks: Readonly<Record<string, ClockConfig>>,
): Generator<RunStep, RunOutcome, void> {
  const rules = { windowMs: parameters.conflictWindowMs, graceMs: RUN_SETTLEMENT_GRACE_MS };
  const arrivals = new ArrivalStream(runId, parameters);
  const lastArrivalMs = lastArrivalMsOf(parameters);
  const servers = new Map(
    parameters.serverIds.map((serverId) => [
      serverId,
      new SimulatedBookingServer(serverId, clocks[serverId]!, parameters),
    ]),
  );
  const queue = new EventQueue<SimulationEvent>();
  const outbox: RunStep[] = [];
  const workflows = new Map<number, SeatSettlementState>();
  const scheduledTicks = new Map<number, number>();
  const seatStreams = new Map<number, StreamProgress<SeatState>>();
  const clockStreams = new Map<string, StreamProgress<null>>();
  /** Seats still open to change; a seat leaves once nothing can change it (retire), into the summary. */
  const seats = new Map<number, SeatRecord & { readonly order: number; arrived: number }>();
  const summary = new RunSummaryAccumulator(parameters.conflictWindowMs, parameters.serverIds);
  let seatsSeen = 0;
  let seatsSettled = 0;
  const suspectEpochs = new Set<string>();
  const stepsDetected = new Map<string, number>();
  let chunk: PlannedEvent<ReservationAttempted>[] = [];
  let chunks = 0;
  /** Seat and clock appends waiting for the chunk before them to be appended. */
  let deferred: RunStep[] = [];
  const deferredSeats = new Set<number>();
  let position = 0n;
  let appendedAttempts = 0;
  let revoked = 0;
  let nowMs = parameters.startReferenceMs;

  const flush = (): void => {
    if (chunk.length > 0) {
      outbox.push({
        kind: 'attempts',
        streamId: runChunkStreamId(runId, chunks),
        expectedRevision: 'no_stream',
        events: chunk,
      });
      chunks += 1;
      chunk = [];
    }
    outbox.push(...deferred);
    deferred = [];
    deferredSeats.clear();
  };

  const scheduleSync = (server: SimulatedBookingServer): void => {
    // One sync past the last arrival checks the epoch the last attempts were stamped in.
    if (server.nextSyncMs <= lastArrivalMs + parameters.syncIntervalMs) {
      queue.push({ kind: 'sync', atMs: server.nextSyncMs, rank: 0, server });
    }
  };

  const deliver = (seatId: number, input: SettlementInput): void => {
    const state = workflows.get(seatId) ?? initialSettlementState(seatId, runId, rules);
    const step = stepSettlement(state, input);
    workflows.set(seatId, step.state);
    for (const command of step.commands) execute(seatId, command);
    const dueAt = settlementDueAtMs(workflows.get(seatId)!);
    if (dueAt === null) return;
    const atMs = Math.max(dueAt, nowMs);
    if (scheduledTicks.get(seatId) === atMs) return;
    scheduledTicks.set(seatId, atMs);
    queue.push({ kind: 'tick', atMs, rank: 1, seatId });
  };

  const execute = (seatId: number, command: SettlementCommand): void => {
    const stream = seatStreams.get(seatId) ?? { state: initialSeatState(seatId), revision: -1 };
    seatStreams.set(seatId, stream);
    // In the log, a run's assignment considered every attempt before it (the authority reads as events arrive).
    const decided = decideSeat(
      command.type === 'AssignSeat' ? { ...command, consideredUpTo: null } : command,
      stream.state,
    );
    if (decided.length === 0) return;
    deferredSeats.add(seatId);
    deferred.push({
      kind: 'settle',
      seatId,
      streamId: seatStreamId(seatId, runId),
      expectedRevision: revisionOf(stream),
      events: decided.map((event, index) => ({
        id: deterministicUuid(runId, 'resolution', seatId, stream.revision + 1 + index),
        event,
        atMs: nowMs,
      })),
    });
    stream.revision += decided.length;
    const record = seats.get(seatId)!;
    for (const event of decided) {
      stream.state = evolveSeat(stream.state, event);
      position += 1n;
      if (event.type === 'SeatAssigned') {
        const holder = {
          attemptId: event.data.attemptId,
          customerName: event.data.customerName,
          serverId: event.data.serverId,
        };
        record.cutoff = command.type === 'AssignSeat' ? command.consideredUpTo : position - 1n;
        record.holder = { ...holder, decidedBy: event.data.decidedBy === 'log_order' ? 'log_order' : 'ntp_corrected' };
        deliver(seatId, { type: 'SeatAssigned', holder, consideredUpTo: record.cutoff, position });
      } else {
        revoked += 1;
        deliver(seatId, { type: 'ReservationRevoked', attemptId: event.data.attemptId });
      }
    }
    deliver(seatId, { type: 'LogRead', upTo: position });
  };

  const stamp = (arrival: Arrival): void => {
    const server = servers.get(arrival.serverId)!;
    const clock = server.read(arrival.referenceTimeMs);
    const [event] = decideAttempt(
      {
        type: 'RecordAttempt',
        attemptId: arrival.attemptId,
        seatId: arrival.seatId,
        customerName: arrival.customerName,
        clock,
        runId,
        // The booking server sees the seat taken once the assignment is in the log.
        seatLooksTaken: seatStreams.get(arrival.seatId)?.state.holder != null,
      },
      { recorded: null },
    ) as [ReservationAttempted];
    queue.push({ kind: 'attempt-arrives', atMs: arrival.referenceTimeMs + server.logDelayMs(), rank: 3, event });
  };

  const attemptArrives = (event: ReservationAttempted): void => {
    // The seat's resolution must be in the log before an attempt it did not consider.
    if (deferredSeats.has(event.data.seatId)) flush();
    chunk.push({ id: event.data.attemptId, event, atMs: nowMs });
    appendedAttempts += 1;
    position += 1n;
    const facts = attemptFactsOf(event.data, position);
    const seatId = event.data.seatId;
    let record = seats.get(seatId);
    if (!record) {
      record = { seatId, attempts: [], cutoff: null, holder: null, order: seatsSeen, arrived: 0 };
      seatsSeen += 1;
      seats.set(seatId, record);
    }
    record.arrived += 1;
    record.attempts.push({
      ...facts,
      referenceTimeMs: event.data.clock.referenceTimeMs,
      // Seeded runs' clocks are simulated, so exact (never set); kept so the scoring sees what a stamp says.
      ...(event.data.clock.referenceUncertaintyMs
        ? { referenceUncertaintyMs: event.data.clock.referenceUncertaintyMs }
        : {}),
      syncEpoch: event.data.clock.syncEpoch ?? 0,
    });
    if (chunk.length >= ATTEMPTS_PER_CHUNK) flush();
    deliver(seatId, { type: 'AttemptRecorded', attempt: facts, seenAtMs: nowMs });
    deliver(seatId, { type: 'LogRead', upTo: position });
    retireIfDone(seatId);
  };

  /**
   * Every attempt of the seat is in the log, the seat is settled and nothing is left to revoke:
   * no input can reach its workflow again, so its record goes to the summary and its state is
   * dropped (a stale tick finds no scheduled time and is skipped, as it would change nothing).
   */
  const retireIfDone = (seatId: number): void => {
    const record = seats.get(seatId);
    const workflow = workflows.get(seatId);
    if (!record || record.arrived < parameters.attemptsPerSeat || workflow?.status !== 'settled') return;
    if (workflow.unrevoked.length > 0 || workflow.revokingIds.size > 0) return;
    retire(record);
  };

  const retire = (record: SeatRecord & { readonly order: number }): void => {
    summary.addSeat(record, record.order);
    if (record.holder !== null) seatsSettled += 1;
    seats.delete(record.seatId);
    workflows.delete(record.seatId);
    scheduledTicks.delete(record.seatId);
    seatStreams.delete(record.seatId);
  };

  const stepArrives = (step: StepAtSync): void => {
    const stream = clockStreams.get(step.serverId) ?? { state: null, revision: -1 };
    clockStreams.set(step.serverId, stream);
    const event: ClockStepDetected = {
      type: 'ClockStepDetected',
      data: {
        serverId: step.serverId,
        jumpMs: step.jumpMs,
        allowedMs: step.allowedMs,
        estimatedOffsetBeforeMs: step.estimatedOffsetBeforeMs,
        estimatedOffsetAfterMs: step.estimatedOffsetAfterMs,
        suspectSyncEpoch: step.suspectSyncEpoch,
        referenceTimeMs: step.syncReferenceMs,
        runId,
      },
    };
    deferred.push({
      kind: 'clock',
      serverId: step.serverId,
      streamId: runClockStreamId(runId, step.serverId),
      expectedRevision: revisionOf(stream),
      events: [{ id: deterministicUuid(runId, 'step', step.serverId, stream.revision + 1), event }],
    });
    stream.revision += 1;
    position += 1n;
    suspectEpochs.add(suspectEpochKey(step.serverId, step.suspectSyncEpoch));
    stepsDetected.set(step.serverId, (stepsDetected.get(step.serverId) ?? 0) + 1);
  };

  for (const server of servers.values()) scheduleSync(server);
  for (;;) {
    const top = queue.peek();
    const arrival = arrivals.peek();
    if (!arrival && !top) break;
    if (
      arrival &&
      (!top || arrival.referenceTimeMs < top.atMs || (arrival.referenceTimeMs === top.atMs && STAMP_RANK < top.rank))
    ) {
      nowMs = arrival.referenceTimeMs;
      stamp(arrivals.shift()!);
      continue;
    }
    const event = queue.pop()!;
    nowMs = event.atMs;
    switch (event.kind) {
      case 'sync': {
        const step = event.server.syncNow();
        // The server reports the jump along its path to the log, like its attempts.
        if (step) queue.push({ kind: 'step-arrives', atMs: event.atMs + event.server.logDelayMs(), rank: 3, step });
        scheduleSync(event.server);
        break;
      }
      case 'tick':
        if (scheduledTicks.get(event.seatId) !== event.atMs) break;
        scheduledTicks.delete(event.seatId);
        deliver(event.seatId, { type: 'TimePassed', nowMs, logHead: position });
        deliver(event.seatId, { type: 'LogRead', upTo: position });
        retireIfDone(event.seatId);
        break;
      case 'attempt-arrives':
        attemptArrives(event.event);
        break;
      case 'step-arrives':
        stepArrives(event.step);
        break;
    }
    if (outbox.length > 0) yield* outbox.splice(0);
  }
  flush();
  if (outbox.length > 0) yield* outbox.splice(0);
  // The seats that never settled (or kept something to revoke), in the order they first came.
  for (const record of [...seats.values()].sort((a, b) => a.order - b.order)) retire(record);
  return {
    attempts: appendedAttempts,
    attemptChunks: chunks,
    seatsSettled,
    revoked,
    summary: summary.finish(appendedAttempts, suspectEpochs, stepsDetected),
  };
}
