/**
 * The whole run as a deterministic list of appends: attempt chunks in
 * reference-time order, each seat's resolution once its conflict window has
 * passed (the live lab's rule, on the virtual clock), framed by
 * ScenarioRunStarted and ScenarioRunCompleted. The application layer only
 * executes the plan, so the same parameters always append the same events.
 */
import type { ClockConfig } from '../../clocks/domain';
import { analyseSeat } from '../../reservations/domain/conflict-analysis';
import type { AttemptStamps } from '../../reservations/domain/ordering';
import { decide, initialSeatState, type AttemptSummary } from '../../reservations/domain/seat-decider';
import type { SeatEvent } from '../../reservations/domain/seat-events';
import { seatStreamId } from '../../reservations/domain/streams';
import { generateAttempts, type GeneratedAttempt } from './attempt-generator';
import { runClocks } from './run-clocks';
import type { ScenarioRunCompleted, ScenarioRunStarted } from './run-events';
import { deterministicUuid, GENERATOR_VERSION, runChunkStreamId } from './run-identity';
import { totalAttempts, type RunParameters } from './run-parameters';
import { summariseRun, type RunSummary } from './run-summary';

export interface PlannedEvent<E extends { type: string; data: object } = SeatEvent> {
  readonly id: string;
  readonly event: E;
}

export type RunStep =
  | { readonly kind: 'attempts'; readonly streamId: string; readonly events: readonly PlannedEvent[] }
  | {
      readonly kind: 'settle';
      readonly seatId: number;
      readonly streamId: string;
      readonly events: readonly PlannedEvent[];
    };

export interface RunPlan {
  readonly runId: string;
  readonly parameters: RunParameters;
  readonly clocks: Readonly<Record<string, ClockConfig>>;
  readonly started: PlannedEvent<ScenarioRunStarted>;
  readonly steps: readonly RunStep[];
  readonly completed: PlannedEvent<ScenarioRunCompleted>;
  readonly summary: RunSummary;
}

/** 500–1000 events per append keeps a 100,000-attempt run to ~100 appends of attempts. */
export const ATTEMPTS_PER_CHUNK = 1000;

interface SeatProgress {
  readonly seatId: number;
  readonly settleAtMs: number;
  readonly inWindow: AttemptStamps[];
  settled: boolean;
}

const stampsOf = (attempt: GeneratedAttempt, localDecision: 'confirmed' | 'rejected'): AttemptStamps => ({
  attemptId: attempt.attemptId,
  customerName: attempt.customerName,
  serverId: attempt.clock.serverId,
  localDecision,
  serverTimeMs: attempt.clock.serverTimeMs,
  ntpCorrectedTimeMs: attempt.clock.ntpCorrectedTimeMs,
  errorBoundMs: attempt.clock.errorBoundMs,
  hlc: attempt.clock.hlc,
  referenceTimeMs: attempt.clock.referenceTimeMs,
  // Attempts are appended in ordinal order, so the ordinal orders them exactly as the log will.
  logPosition: BigInt(attempt.ordinal + 1),
});

const settlementOf = (runId: string, seat: SeatProgress): RunStep => {
  const analysis = analyseSeat(seat.inWindow)!;
  const { winner, decidedBy } = analysis.authoritative;
  const losers: AttemptSummary[] = seat.inWindow
    .filter((attempt) => attempt.attemptId !== winner.attemptId)
    .map(({ attemptId, customerName, serverId, localDecision }) => ({
      attemptId,
      customerName,
      serverId,
      localDecision,
    }));
  const events = decide(
    {
      type: 'AssignSeat',
      seatId: seat.seatId,
      winner: { attemptId: winner.attemptId, customerName: winner.customerName, serverId: winner.serverId },
      decidedBy,
      losers,
      runId,
    },
    initialSeatState(seat.seatId),
  );
  return {
    kind: 'settle',
    seatId: seat.seatId,
    streamId: seatStreamId(seat.seatId, runId),
    events: events.map((event, index) => ({ id: deterministicUuid(runId, 'resolution', seat.seatId, index), event })),
  };
};

export const planRun = (runId: string, parameters: RunParameters): RunPlan => {
  const clocks = runClocks(parameters);
  const attempts = generateAttempts(runId, parameters, clocks);
  const steps: RunStep[] = [];
  const seats = new Map<number, SeatProgress>();
  const allBySeat = new Map<number, AttemptStamps[]>();
  // Seats become due in the order of their first attempts (window is constant), so a FIFO suffices.
  const dueQueue: SeatProgress[] = [];
  let nextDue = 0;
  let chunk: PlannedEvent[] = [];
  let chunks = 0;
  let revoked = 0;

  const flush = (): void => {
    if (chunk.length === 0) return;
    steps.push({ kind: 'attempts', streamId: runChunkStreamId(runId, chunks), events: chunk });
    chunks += 1;
    chunk = [];
  };
  /** Settles every seat whose window ended by `nowMs`; their in-window attempts must be flushed already. */
  const settleDue = (nowMs: number): void => {
    while (nextDue < dueQueue.length && dueQueue[nextDue]!.settleAtMs <= nowMs) {
      const seat = dueQueue[nextDue]!;
      nextDue += 1;
      const step = settlementOf(runId, seat);
      revoked += step.events.length - 1;
      seat.settled = true;
      steps.push(step);
    }
  };

  for (const attempt of attempts) {
    const nowMs = attempt.clock.referenceTimeMs;
    let seat = seats.get(attempt.seatId);
    if (!seat) {
      seat = { seatId: attempt.seatId, settleAtMs: nowMs + parameters.conflictWindowMs, inWindow: [], settled: false };
      seats.set(attempt.seatId, seat);
      dueQueue.push(seat);
    }
    const late = nowMs >= seat.settleAtMs && seat.inWindow.length > 0;
    if (late && !seat.settled) {
      // The seat's resolution must reach the log before this late attempt does.
      flush();
      settleDue(nowMs);
    }
    const localDecision = late ? 'rejected' : 'confirmed';
    const [event] = decide(
      {
        type: 'AttemptReservation',
        attemptId: attempt.attemptId,
        seatId: attempt.seatId,
        customerName: attempt.customerName,
        clock: attempt.clock,
        runId,
      },
      // The booking server sees the seat as taken only once the resolution is in the log.
      late
        ? { seatId: attempt.seatId, holder: { attemptId: '', customerName: '', serverId: '' } }
        : initialSeatState(attempt.seatId),
    );
    chunk.push({ id: attempt.attemptId, event: event! });
    const stamps = stampsOf(attempt, localDecision);
    if (!late) seat.inWindow.push(stamps);
    const all = allBySeat.get(attempt.seatId) ?? [];
    all.push(stamps);
    allBySeat.set(attempt.seatId, all);
    if (chunk.length >= ATTEMPTS_PER_CHUNK) {
      flush();
      settleDue(nowMs);
    }
  }
  flush();
  settleDue(Number.POSITIVE_INFINITY);

  const summary = summariseRun(allBySeat);
  const started: PlannedEvent<ScenarioRunStarted> = {
    id: deterministicUuid(runId, 'started'),
    event: {
      type: 'ScenarioRunStarted',
      data: {
        ...parameters,
        runId,
        generatorVersion: GENERATOR_VERSION,
        totalAttempts: totalAttempts(parameters),
        clocks,
      },
    },
  };
  const completed: PlannedEvent<ScenarioRunCompleted> = {
    id: deterministicUuid(runId, 'completed'),
    event: {
      type: 'ScenarioRunCompleted',
      data: { runId, attempts: attempts.length, attemptChunks: chunks, seatsSettled: seats.size, revoked, summary },
    },
  };
  return { runId, parameters, clocks, started, steps, completed, summary };
};
