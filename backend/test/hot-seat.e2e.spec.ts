import { postJson, readWholeLog, startTestApp, type RunningApp } from './app-harness';

const ATTEMPTS = 1000;
const CONCURRENCY = 50;

describe('hot seat: 1,000 concurrent attempts on one seat through 5 booking servers', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp({ MAX_SEATS: '10', CONFLICT_WINDOW_MS: '1000' });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('records every attempt, assigns the seat exactly once, and every locally confirmed loser is revoked', async () => {
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ATTEMPTS) {
          const index = next++;
          const response = await postJson(running.baseUrl, '/api/reservations', {
            seat_id: 3,
            customer_name: `customer-${index}`,
            server_id: `server-${(index % 5) + 1}`,
          });
          statuses.push(response.status);
          await response.arrayBuffer();
        }
      }),
    );
    expect(statuses.filter((status) => status === 201)).toHaveLength(ATTEMPTS);

    // Wait for the settlement and for the read model to hold every outcome.
    const deadline = Date.now() + 30_000;
    let outcomes: { won: number; lost: number; pending: number; total: number } = {
      won: 0,
      lost: 0,
      pending: 0,
      total: 0,
    };
    while (Date.now() < deadline) {
      const count = async (outcome: string) =>
        (
          (await (await fetch(`${running.baseUrl}/api/reservations?seat_id=3&outcome=${outcome}&limit=1`)).json()) as {
            total: number;
          }
        ).total;
      outcomes = { won: await count('won'), lost: await count('lost'), pending: await count('pending'), total: 0 };
      outcomes.total = outcomes.won + outcomes.lost + outcomes.pending;
      if (outcomes.pending === 0 && outcomes.won === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(outcomes).toEqual({ won: 1, lost: ATTEMPTS - 1, pending: 0, total: ATTEMPTS });

    const log = await readWholeLog(running.store);
    expect(log.filter((event) => event.type === 'ReservationAttempted')).toHaveLength(ATTEMPTS);
    const assignments = log.filter((event) => event.type === 'SeatAssigned');
    expect(assignments).toHaveLength(1);
    expect(assignments[0]!.streamId).toBe('seat-3');

    // Point 9 of the resolution issue: the settlement read the log up to the head it noted, and every
    // attempt a booking server confirmed locally but that lost gets its revocation, however late it was.
    const winnerId = assignments[0]!.data['attemptId'];
    const confirmedLosers = new Set(
      log
        .filter((event) => event.type === 'ReservationAttempted')
        .filter((event) => event.data['localDecision'] === 'confirmed' && event.data['attemptId'] !== winnerId)
        .map((event) => String(event.data['attemptId'])),
    );
    let revocations: string[] = [];
    const revokedBy = Date.now() + 30_000;
    while (Date.now() < revokedBy) {
      revocations = (await readWholeLog(running.store))
        .filter((event) => event.type === 'ReservationRevoked')
        .map((event) => String(event.data['attemptId']));
      if (revocations.length >= confirmedLosers.size) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(confirmedLosers.size).toBeGreaterThan(0);
    // Every confirmed loser revoked, each exactly once.
    expect(revocations.sort()).toEqual([...confirmedLosers].sort());

    const seat = (await (await fetch(`${running.baseUrl}/api/seats/3`)).json()) as {
      attempts_count: number;
      is_available: boolean;
    };
    expect(seat).toMatchObject({ attempts_count: ATTEMPTS, is_available: false });
  }, 120_000);
});
