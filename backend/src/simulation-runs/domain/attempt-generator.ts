/**
 * Which customer books which seat on which server, and when (reference time),
 * deterministically from the seed: one random stream per seat, so a what-if
 * that changes only the clocks keeps exactly the same customers, servers and
 * arrival times.
 */
import { createSeededRandom, deriveSeed } from '../../clocks/domain';
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

/** Every arrival of the run, in reference-time order (ties in generation order, so the order is total). */
export const arrivalsOf = (runId: string, parameters: RunParameters): Arrival[] => {
  const arrivals: Arrival[] = [];
  const servers = parameters.serverIds;
  for (let seatId = 1; seatId <= parameters.seats; seatId += 1) {
    const random = createSeededRandom(deriveSeed(parameters.seed, 'arrivals', seatId));
    const burstStartMs = parameters.startReferenceMs + FIRST_BURST_DELAY_MS + (seatId - 1) * parameters.seatIntervalMs;
    for (let index = 0; index < parameters.attemptsPerSeat; index += 1) {
      const serverId = servers[Math.floor(random() * servers.length)]!;
      const referenceTimeMs = toMicroseconds(burstStartMs + random() * parameters.spreadMs);
      const name = CUSTOMER_NAMES[Math.floor(random() * CUSTOMER_NAMES.length)]!;
      arrivals.push({
        attemptId: deterministicUuid(runId, 'attempt', seatId, index),
        seatId,
        index,
        serverId,
        referenceTimeMs,
        customerName: `${name}-${seatId}.${index + 1}`,
      });
    }
  }
  return arrivals.sort((a, b) => a.referenceTimeMs - b.referenceTimeMs || a.seatId - b.seatId || a.index - b.index);
};
