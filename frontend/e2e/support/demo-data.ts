// Real data for the screens the a11y checks and screenshots visit, made
// through the API the way the console makes it (so a test file run alone
// still finds an inversion and a seeded run).
import type { LabApiClient } from './fixtures';

interface TimeStatus {
  server_id: string;
  true_offset_ms: number;
  reference_time_ms: number;
}
interface Seat {
  id: number;
  status: string;
  attempts_count: number;
}
interface ConflictPage {
  items: { seat_id: number; run_id: string }[];
  total: number;
}
interface Run {
  id: string;
  run_id: string;
  status: string;
}

export async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A seat of the live lab with an inversion: made under extreme_drift if there is none yet. */
export async function ensureInversion(api: LabApiClient): Promise<number> {
  const existing = await api.get<ConflictPage>('/api/conflicts?kind=inversion&limit=1');
  if (existing.items[0]) return existing.items[0].seat_id;
  await api.post('/api/simulation/scenarios/extreme_drift/apply?seed=1');
  const statuses = (await api.get<TimeStatus[]>('/api/time/status')).sort(
    (a, b) => b.true_offset_ms - a.true_offset_ms,
  );
  const seats = await api.get<Seat[]>('/api/seats');
  const seat = seats.find((candidate) => candidate.status === 'free' && candidate.attempts_count === 0);
  if (!seat) throw new Error('no untried seat left for an inversion');
  await api.post('/api/reservations', { seat_id: seat.id, customer_name: 'Ana', server_id: statuses[0].server_id });
  await new Promise((resolve) => setTimeout(resolve, 400));
  await api.post('/api/reservations', {
    seat_id: seat.id,
    customer_name: 'Bob',
    server_id: statuses.at(-1)!.server_id,
  });
  await until(async () => {
    const page = await api.get<ConflictPage>(`/api/conflicts?kind=inversion&seat_id=${seat.id}`);
    return page.total > 0;
  }, `an inversion on seat ${seat.id}`);
  return seat.id;
}

/** A completed seeded run with at least one inversion, and one of its inverted seats. */
export async function ensureSeededRun(api: LabApiClient): Promise<{ runId: string; seatId: number }> {
  const runs = await api.get<{ items: Run[] }>('/api/simulation/runs');
  let run = runs.items.find((candidate) => candidate.status === 'completed');
  if (!run) {
    const started = await api.post<Run>('/api/simulation/runs', {
      scenario: 'major_drift',
      seed: 7,
      seats: 40,
      attempts_per_seat: 4,
      spread_ms: 500,
    });
    run = await until(
      async () => {
        const current = await api.get<Run>(`/api/simulation/runs/${started.id}`);
        return current.status === 'completed' ? current : null;
      },
      'the seeded run to complete',
      60_000,
    );
  }
  const inversions = await api.get<ConflictPage>(`/api/conflicts?run_id=${run.run_id}&kind=inversion&limit=1`);
  if (!inversions.items[0]) throw new Error(`run ${run.run_id} has no inversion`);
  return { runId: run.run_id, seatId: inversions.items[0].seat_id };
}
