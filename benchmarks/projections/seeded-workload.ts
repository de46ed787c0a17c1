/**
 * Event logs shaped like the lab's: scenario runs of reservation attempts on
 * MAX_SEATS (100) seats from five skewed servers, each seat then resolved
 * (SeatAssigned) and the confirmed losers revoked, as the saga does.
 */
import type { JsonObject } from '../../backend/src/event-store/event-store.port';
import { attempted, seatAssigned } from '../../backend/src/testing/seat-event-builders';

export interface WorkloadEvent {
  readonly streamId: string;
  readonly type: string;
  readonly data: JsonObject;
}

const SERVER_OFFSETS_MS = [-18_000, -6_000, 0, 9_000, 25_000];

/** A deterministic generator, so every run measures the same log. */
export const seededRandom = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

/** One attempt as a booking server records it (about 450 bytes of JSON). */
export const attemptEvent = (
  random: () => number,
  index: number,
  options: { seats: number; runId: string | null },
): ReturnType<typeof attempted> => {
  const server = Math.floor(random() * SERVER_OFFSETS_MS.length);
  const offsetMs = SERVER_OFFSETS_MS[server]!;
  return attempted({
    customer: `customer-${index}`,
    server: `server-${server + 1}`,
    seatId: 1 + Math.floor(random() * options.seats),
    atMs: index * 3 + Math.floor(random() * 50),
    offsetMs,
    estimatedOffsetMs: offsetMs + Math.round((random() - 0.5) * 40),
    errorBoundMs: 5 + Math.round(random() * 20),
    localDecision: random() < 0.6 ? 'confirmed' : 'rejected',
    runId: options.runId,
  });
};

/** A scenario run: attempts, then per seat the assignment and the revocations of confirmed losers. */
const scenarioRun = (random: () => number, runId: string, attempts: number, seats: number): WorkloadEvent[] => {
  const attemptEvents = Array.from({ length: attempts }, (_, index) => attemptEvent(random, index, { seats, runId }));
  const bySeat = new Map<number, typeof attemptEvents>();
  for (const event of attemptEvents) {
    const seatId = event.data['seatId'] as number;
    bySeat.set(seatId, [...(bySeat.get(seatId) ?? []), event]);
  }
  const resolutions: WorkloadEvent[] = [];
  for (const [seatId, onSeat] of bySeat) {
    // The earliest by reference time stands in for the NTP-corrected winner: the cost is what matters here.
    const winner = onSeat.reduce((best, event) =>
      (event.data['clock'] as { referenceTimeMs: number }).referenceTimeMs <
      (best.data['clock'] as { referenceTimeMs: number }).referenceTimeMs
        ? event
        : best,
    );
    const winnerServer = (winner.data['clock'] as { serverId: string }).serverId;
    const winnerCustomer = winner.data['customerName'] as string;
    resolutions.push({
      streamId: `seat-${runId}-${seatId}`,
      ...seatAssigned(
        seatId,
        { attemptId: winner.attemptId, customer: winnerCustomer, server: winnerServer },
        'ntp_corrected',
        runId,
      ),
    });
    for (const loser of onSeat) {
      if (loser === winner || loser.data['localDecision'] !== 'confirmed') continue;
      resolutions.push({
        streamId: `attempt-${loser.attemptId}`,
        type: 'ReservationRevoked',
        data: {
          seatId,
          attemptId: loser.attemptId,
          customerName: loser.data['customerName'] as string,
          serverId: (loser.data['clock'] as { serverId: string }).serverId,
          winnerAttemptId: winner.attemptId,
          reason: `${winnerCustomer} came first by ntp_corrected order`,
          runId,
        },
      });
    }
  }
  return [...attemptEvents, ...resolutions];
};

/** Scenario runs of `attemptsPerRun` attempts on `seats` seats, cut at exactly `total` events. */
export const scenarioLog = (
  total: number,
  options = { attemptsPerRun: 1000, seats: 100, seed: 42 },
): WorkloadEvent[] => {
  const random = seededRandom(options.seed);
  const log: WorkloadEvent[] = [];
  for (let run = 0; log.length < total; run += 1) {
    log.push(...scenarioRun(random, `bench-run-${run}`, options.attemptsPerRun, options.seats));
  }
  return log.slice(0, total);
};

/** The live lab's worst case: every attempt on the same 100 seats (run ''), so seats grow hot. */
export const liveLabLog = (total: number, seats = 100, seed = 7): WorkloadEvent[] => {
  const random = seededRandom(seed);
  return Array.from({ length: total }, (_, index) => attemptEvent(random, index, { seats, runId: null }));
};
