/**
 * A steady stream of reservation attempts against a running backend, with a
 * ledger of every answer, so a fault test can prove afterwards that nothing
 * the backend acknowledged (201) was lost or stored twice. Every attempt has
 * its own customer name, which is how the log is matched against the ledger.
 */
import type { RecordedEvent } from '../../src/event-store/event-store.port';

export interface Answer {
  readonly customerName: string;
  readonly seatId: number;
  /** HTTP status; 0 when no answer came at all (connection refused or reset: the process is gone). */
  readonly status: number;
  /** The attempt id of a 201. */
  readonly attemptId: string | null;
  /** When the request was sent, and when its answer came. */
  readonly sentAtMs: number;
  readonly atMs: number;
}

export interface WriteLoad {
  readonly answers: readonly Answer[];
  /** Waits for the writers' requests in flight, then stops them. */
  stop(): Promise<void>;
}

export interface WriteLoadOptions {
  readonly baseUrl: string;
  readonly writers?: number;
  readonly seats: number;
  readonly servers?: number;
  readonly label?: string;
  /** Pause between two attempts of one writer. */
  readonly pauseMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const startWriteLoad = (options: WriteLoadOptions): WriteLoad => {
  const answers: Answer[] = [];
  const writers = options.writers ?? 6;
  const servers = options.servers ?? 5;
  const label = options.label ?? 'load';
  let running = true;
  let counter = 0;

  const attemptOnce = async (writer: number): Promise<Answer> => {
    counter += 1;
    const customerName = `${label}-${writer}-${counter}`;
    const seatId = 1 + (counter % options.seats);
    const sentAtMs = Date.now();
    try {
      const response = await fetch(`${options.baseUrl}/api/reservations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          seat_id: seatId,
          customer_name: customerName,
          server_id: `server-${1 + (counter % servers)}`,
        }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json().catch(() => ({}))) as { id?: unknown };
      const attemptId = response.status === 201 && typeof body.id === 'string' ? body.id : null;
      return { customerName, seatId, status: response.status, attemptId, sentAtMs, atMs: Date.now() };
    } catch {
      return { customerName, seatId, status: 0, attemptId: null, sentAtMs, atMs: Date.now() };
    }
  };

  const loops = Array.from({ length: writers }, async (_, writer) => {
    while (running) {
      const answer = await attemptOnce(writer);
      answers.push(answer);
      // Back off a little on a failure so a writer does not spin against a closed port.
      await sleep(answer.status === 201 ? (options.pauseMs ?? 10) : 50);
    }
  });

  return {
    answers,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
};

export interface LedgerCheck {
  readonly acknowledged: number;
  /** Acknowledged attempts whose event is not in the log. */
  readonly lost: string[];
  /** Customer names (one per request) with more than one attempt event in the log. */
  readonly doubled: string[];
  /** Attempts in the log that were never acknowledged (their answer was a 503 or lost): allowed, counted. */
  readonly storedWithoutAcknowledgement: number;
}

/** Matches the ledger against the log: every 201 must be there exactly once. */
export const checkLedger = (answers: readonly Answer[], log: readonly RecordedEvent[], label: string): LedgerCheck => {
  const attemptsByCustomer = new Map<string, string[]>();
  for (const event of log) {
    if (event.type !== 'ReservationAttempted') continue;
    const customerName = String(event.data['customerName']);
    if (!customerName.startsWith(`${label}-`)) continue;
    const ids = attemptsByCustomer.get(customerName) ?? [];
    ids.push(String(event.data['attemptId']));
    attemptsByCustomer.set(customerName, ids);
  }
  const acknowledged = answers.filter((answer) => answer.status === 201);
  const acknowledgedNames = new Set(acknowledged.map((answer) => answer.customerName));
  return {
    acknowledged: acknowledged.length,
    lost: acknowledged
      .filter((answer) => !(attemptsByCustomer.get(answer.customerName) ?? []).includes(answer.attemptId ?? ''))
      .map((answer) => answer.customerName),
    doubled: [...attemptsByCustomer].filter(([, ids]) => ids.length > 1).map(([name]) => name),
    storedWithoutAcknowledgement: [...attemptsByCustomer.keys()].filter((name) => !acknowledgedNames.has(name)).length,
  };
};

/** How many answers of each status, e.g. { 201: 840, 503: 37 }. */
export const statusCounts = (answers: readonly Answer[]): Record<number, number> => {
  const counts: Record<number, number> = {};
  for (const answer of answers) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
  return counts;
};
