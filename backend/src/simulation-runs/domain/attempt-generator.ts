/**
 * Which customer books which seat on which server, and when (reference time),
 * deterministically from the seed: one random stream per seat, so a what-if
 * that changes only the clocks keeps exactly the same customers, servers and
 * arrival times.
 *
 * Arrivals are produced lazily, in reference-time order: a seat's burst starts
 * `seat_interval_ms` after the previous one, so only the seats whose bursts
 * have begun are held (a heap of their pending arrivals), never the whole run.
 */
import { createSeededRandom, deriveSeed } from '../../clocks/domain';
import { EventQueue } from './event-queue';
import { deterministicUuid } from './run-identity';
import type { RunParameters } from './run-parameters';
import { FIRST_BURST_DELAY_MS } from './simulated-booking-server';

const CUSTOMER_NAMES = ['ana', 'bob', 'chen', 'dara', 'eli', 'fatou', 'gus', 'hana', 'ivan', 'jun', 'kofi', 'lena'];

/** Microsecond resolution keeps attempt times readable and exactly reproducible. */
const toMicroseconds = (ms: number): number => Math.round(ms * 1000) / 1000;

/** A customer walking up to a booking server. */
export interface Arrival {
  readonly attemptId: string;
  readonly seatId: number;
  readonly index: number;
  readonly serverId: string;
  /** When the booking server receives it (true time). */
  readonly referenceTimeMs: number;
  readonly customerName: string;
}

const burstStartMs = (parameters: RunParameters, seatId: number): number =>
  parameters.startReferenceMs + FIRST_BURST_DELAY_MS + (seatId - 1) * parameters.seatIntervalMs;

/** The draws of one seat, in the order the seed's random stream gives them (the one place that order is written). */
const drawSeat = (
  parameters: RunParameters,
  seatId: number,
  visit: (index: number, serverId: string, referenceTimeMs: number, name: string) => void,
): void => {
  const servers = parameters.serverIds;
  const random = createSeededRandom(deriveSeed(parameters.seed, 'arrivals', seatId));
  const startMs = burstStartMs(parameters, seatId);
  for (let index = 0; index < parameters.attemptsPerSeat; index += 1) {
    const serverId = servers[Math.floor(random() * servers.length)]!;
    const referenceTimeMs = toMicroseconds(startMs + random() * parameters.spreadMs);
    const name = CUSTOMER_NAMES[Math.floor(random() * CUSTOMER_NAMES.length)]!;
    visit(index, serverId, referenceTimeMs, name);
  }
};

/** One seat's arrivals, by time (ties by index). */
const seatArrivals = (runId: string, parameters: RunParameters, seatId: number): Arrival[] => {
  const arrivals: Arrival[] = [];
  drawSeat(parameters, seatId, (index, serverId, referenceTimeMs, name) =>
    arrivals.push({
      attemptId: deterministicUuid(runId, 'attempt', seatId, index),
      seatId,
      index,
      serverId,
      referenceTimeMs,
      customerName: `${name}-${seatId}.${index + 1}`,
    }),
  );
  return arrivals.sort((a, b) => a.referenceTimeMs - b.referenceTimeMs || a.index - b.index);
};

/** When the run's last customer arrives: one pass over the draws, nothing kept. */
export const lastArrivalMsOf = (parameters: RunParameters): number => {
  let lastMs = parameters.startReferenceMs;
  let any = false;
  for (let seatId = 1; seatId <= parameters.seats; seatId += 1) {
    drawSeat(parameters, seatId, (_index, _serverId, referenceTimeMs) => {
      lastMs = any ? Math.max(lastMs, referenceTimeMs) : referenceTimeMs;
      any = true;
    });
  }
  return lastMs;
};

interface PendingArrival {
  readonly atMs: number;
  readonly rank: 0;
  readonly arrival: Arrival;
}

/**
 * Every arrival of the run in reference-time order, ties by seat then index (a total order).
 * A seat's arrivals all come at or after its burst start, and burst starts grow with the seat
 * id, so a seat is opened once the earliest pending arrival is not before its burst start; the
 * heap then breaks ties by push order, which is seat order, then index order.
 */
export class ArrivalStream {
  private readonly pending = new EventQueue<PendingArrival>();
  private nextSeat = 1;

  constructor(
    private readonly runId: string,
    private readonly parameters: RunParameters,
  ) {}

  peek(): Arrival | undefined {
    this.openDueSeats();
    return this.pending.peek()?.arrival;
  }

  shift(): Arrival | undefined {
    this.openDueSeats();
    return this.pending.pop()?.arrival;
  }

  private openDueSeats(): void {
    while (this.nextSeat <= this.parameters.seats) {
      const top = this.pending.peek();
      if (top && top.atMs < burstStartMs(this.parameters, this.nextSeat)) return;
      for (const arrival of seatArrivals(this.runId, this.parameters, this.nextSeat)) {
        this.pending.push({ atMs: arrival.referenceTimeMs, rank: 0, arrival });
      }
      this.nextSeat += 1;
    }
  }
}

/** Every arrival of the run, in reference-time order, as one array (small runs and tests). */
export const arrivalsOf = (runId: string, parameters: RunParameters): Arrival[] => {
  const stream = new ArrivalStream(runId, parameters);
  const arrivals: Arrival[] = [];
  for (let arrival = stream.shift(); arrival; arrival = stream.shift()) arrivals.push(arrival);
  return arrivals;
};
