/**
 * The seed's NTPSimulator, against a running backend: put the booking
 * servers' clocks into a drift scenario, then fire concurrent reservations
 * for a seat across the servers and read back what the lab made of them.
 */
import { ApiClient } from '../cli/api-client';
import {
  STRATEGIES,
  type InversionWitness,
  type LabReport,
  type Strategy,
  type WitnessSide,
} from '../report/lab-report';
import { assertScenario } from './scenario-catalog';
import { seededRandom } from './seeded-random';

export interface NTPSimulatorOptions {
  /** The backend, with the operator's credentials when the run changes clocks. */
  readonly api: ApiClient;
  /** Booking servers to spread attempts over (default server-1..server-5). */
  readonly serverIds?: readonly string[];
  /** Each seat's attempts are fired within this many ms (default 200). */
  readonly spreadMs?: number;
  readonly seed?: number;
  /** Aborting stops firing: attempts not yet sent are skipped. */
  readonly signal?: AbortSignal;
}

export interface FiredAttempt {
  readonly seatId: number;
  readonly attemptId: string;
  readonly customerName: string;
  readonly serverId: string;
  readonly status: string;
}

interface CreatedReservation {
  readonly id: string;
  readonly status: string;
}

interface SeatView {
  readonly id: number;
  readonly status: string;
  readonly attempts_count: number;
  readonly reservation: unknown;
}

type TimelineAttempt = WitnessSide;

interface SeatTimeline {
  readonly seat_id: number;
  readonly attempts: readonly TimelineAttempt[];
  readonly winners: Record<Strategy, { attempt_id: string }> | null;
  readonly kinds: readonly string[];
}

/** Resolves after ms, or at once when the signal aborts (and leaves no listener behind either way). */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

export class NTPSimulator {
  readonly api: ApiClient;
  private readonly serverIds: readonly string[];
  private readonly spreadMs: number;
  private readonly random: () => number;
  private fired = 0;

  constructor(private readonly options: NTPSimulatorOptions) {
    this.api = options.api;
    this.serverIds = options.serverIds ?? ['server-1', 'server-2', 'server-3', 'server-4', 'server-5'];
    this.spreadMs = options.spreadMs ?? 200;
    this.random = seededRandom(options.seed ?? 1);
  }

  /** The seed's setup_time_drift: applies a clock scenario to every booking server. */
  async setupTimeDrift(scenario: string, seed?: number): Promise<unknown> {
    const name = assertScenario(scenario);
    const query = seed === undefined ? '' : `?seed=${seed}`;
    return this.api.post(`/api/simulation/scenarios/${name}/apply${query}`, {});
  }

  /**
   * The seed's simulate_concurrent_reservations: `numReservations` customers
   * try to book `seatId` at about the same time, each on a server of the
   * list, within the spread. Resolves with the attempts actually sent.
   */
  async simulateConcurrentReservations(seatId: number, numReservations: number): Promise<FiredAttempt[]> {
    const plans = Array.from({ length: numReservations }, (_, index) => ({
      delayMs: this.random() * this.spreadMs,
      serverId: this.serverIds[Math.floor(this.random() * this.serverIds.length)]!,
      customerName: `customer-${seatId}.${index + 1}`,
    }));
    const sent = await Promise.all(
      plans.map(async (plan) => {
        await sleep(plan.delayMs, this.options.signal);
        if (this.options.signal?.aborted) return null;
        const created = await this.api.post<CreatedReservation>('/api/reservations', {
          seat_id: seatId,
          customer_name: plan.customerName,
          server_id: plan.serverId,
        });
        this.fired += 1;
        return {
          seatId,
          attemptId: created.id,
          customerName: plan.customerName,
          serverId: plan.serverId,
          status: created.status,
        };
      }),
    );
    return sent.filter((attempt): attempt is FiredAttempt => attempt !== null);
  }

  get attemptsFired(): number {
    return this.fired;
  }

  /** Seats nobody has tried yet, lowest first. */
  async freeSeats(count: number): Promise<number[]> {
    const seats = await this.api.get<SeatView[]>('/api/seats');
    return seats
      .filter((seat) => seat.status === 'free' && seat.attempts_count === 0)
      .slice(0, count)
      .map((seat) => seat.id);
  }

  /** Polls until every seat has its holder (the conflict window has passed and the resolution is projected). */
  async waitForSettlement(seatIds: readonly number[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const wanted = new Set(seatIds);
    while (Date.now() < deadline && !this.options.signal?.aborted) {
      const seats = await this.api.get<SeatView[]>('/api/seats');
      if (seats.filter((seat) => wanted.has(seat.id)).every((seat) => seat.reservation !== null)) return true;
      await sleep(250, this.options.signal);
    }
    return false;
  }

  /** The session's own report, from the seats' timelines (the live lab's /api/stats covers every seat). */
  async reportFor(seatIds: readonly number[], title: string): Promise<LabReport> {
    const timelines = await Promise.all(
      seatIds.map((seatId) => this.api.get<SeatTimeline>(`/api/seats/${seatId}/timeline`)),
    );
    let attempts = 0;
    let contended = 0;
    const conflicts = { contention: 0, inversion: 0, ambiguous: 0 };
    const correct = Object.fromEntries(STRATEGIES.map((strategy) => [strategy, 0])) as Record<Strategy, number>;
    let worst: InversionWitness | null = null;
    for (const timeline of timelines) {
      attempts += timeline.attempts.length;
      for (const kind of timeline.kinds) if (kind in conflicts) conflicts[kind as keyof typeof conflicts] += 1;
      if (timeline.attempts.length < 2 || !timeline.winners) continue;
      contended += 1;
      const winners = timeline.winners;
      for (const strategy of STRATEGIES)
        if (winners[strategy].attempt_id === winners.truth.attempt_id) correct[strategy] += 1;
      const byId = new Map(timeline.attempts.map((attempt) => [attempt.attempt_id, attempt]));
      const trueFirst = byId.get(winners.truth.attempt_id)!;
      const naive = byId.get(winners.server_clock.attempt_id)!;
      const gapMs = naive.reference_time_ms - trueFirst.reference_time_ms;
      if (gapMs > 0 && (!worst || gapMs > worst.gap_ms)) {
        worst = {
          seat_id: timeline.seat_id,
          conflict_id: `seat-${timeline.seat_id}`,
          gap_ms: gapMs,
          true_first: trueFirst,
          server_clock_winner: naive,
        };
      }
    }
    return {
      title,
      run_id: null,
      attempts,
      contended_seats: contended,
      conflicts,
      accuracy: Object.fromEntries(
        STRATEGIES.map((strategy) => [strategy, contended === 0 ? 1 : correct[strategy] / contended]),
      ) as Record<Strategy, number>,
      worst_inversion: worst,
      details: { seats: seatIds },
    };
  }
}
