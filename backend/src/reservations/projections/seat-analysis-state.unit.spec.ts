import fc from 'fast-check';
import { analyseSeat } from '../domain/conflict-analysis';
import type { AttemptRow } from './attempt-row';
import { toAttemptStamps } from './attempt-row';
import { buildWitness } from './conflict-witness';
import {
  completeWithWindow,
  conflictKindsOf,
  foldAttempts,
  witnessAttemptOf,
  witnessOf,
  WITNESS_ATTEMPTS_LIMIT,
  type SeatAnalysisState,
} from './seat-analysis-state';

// Small value ranges on purpose: ties on every key and overlapping error bounds are the hard cases.
const stampsArbitrary = fc.record({
  customer: fc.constantFrom('Ana', 'Bob', 'Cy', 'Dee', 'Eve'),
  server: fc.constantFrom('server-1', 'server-2', 'server-3'),
  serverTimeMs: fc.integer({ min: 0, max: 60 }),
  correctedMs: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 60, noNaN: true })),
  errorBoundMs: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.double({ min: 0, max: 8, noNaN: true })),
  hlc: fc.constantFrom('0001:0', '0001:1', '0002:0', '0003:5'),
  referenceMs: fc.integer({ min: 0, max: 60 }),
});

type Stamps = typeof stampsArbitrary extends fc.Arbitrary<infer T> ? T : never;

const rowsOf = (stamps: readonly Stamps[]): AttemptRow[] =>
  stamps.map((s, index) => ({
    attempt_id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    run_id: '',
    seat_id: 7,
    customer_name: s.customer,
    server_id: s.server,
    local_decision: index % 2 === 0 ? 'confirmed' : 'rejected',
    outcome: 'pending',
    outcome_reason: null,
    server_time_ms: s.serverTimeMs,
    reference_time_ms: s.referenceMs,
    estimated_offset_ms: s.serverTimeMs - s.correctedMs,
    error_bound_ms: s.errorBoundMs,
    ntp_corrected_time_ms: s.correctedMs,
    hlc: s.hlc,
    // Log positions grow with arrival, with gaps (other streams' events).
    log_position: String(10 + index * 3),
    recorded_at: new Date(0),
  }));

/** Folds the rows batch by batch, answering window requests from the rows already folded (as the database does). */
const foldInBatches = (rows: readonly AttemptRow[], cuts: readonly number[]): SeatAnalysisState => {
  const boundaries = [...new Set(cuts.map((cut) => cut % rows.length))].sort((a, b) => a - b);
  let state: SeatAnalysisState | null = null;
  let start = 0;
  for (const end of [...boundaries.filter((cut) => cut > 0), rows.length]) {
    const stored = rows.slice(0, start).map(witnessAttemptOf);
    const step = foldAttempts(state, rows.slice(start, end).map(witnessAttemptOf));
    const windowBelow = step.windowBelow;
    state =
      windowBelow === null
        ? step.state
        : completeWithWindow(
            step.state,
            stored.filter((attempt) => attempt.ntp_corrected_time_ms < windowBelow),
          );
    // Stored as jsonb between batches.
    state = JSON.parse(JSON.stringify(state)) as SeatAnalysisState;
    start = end;
  }
  return state!;
};

describe('incremental seat analysis', () => {
  it('equals analyseSeat + buildWitness over all attempts, whatever the batch boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(stampsArbitrary, { minLength: 1, maxLength: WITNESS_ATTEMPTS_LIMIT * 2 + 10 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (stamps, cuts) => {
          const rows = rowsOf(stamps);
          const state = foldInBatches(rows, cuts);
          const attempts = rows.map(toAttemptStamps);
          const analysis = analyseSeat(attempts)!;
          expect(state.attempts_count).toBe(rows.length);
          for (const [strategy, winner] of Object.entries(analysis.winners)) {
            expect(state.winners[strategy as keyof typeof analysis.winners].attempt_id).toBe(winner.attemptId);
          }
          expect(conflictKindsOf(state)).toEqual(analysis.kinds);
          expect(state.ambiguous.map((attempt) => attempt.attempt_id)).toEqual(
            analysis.ambiguousWith.map((attempt) => attempt.attemptId),
          );
          expect(state.authoritative.attempt_id).toBe(analysis.authoritative.winner.attemptId);
          expect(state.server_ids).toEqual([...new Set(rows.map((row) => row.server_id))].sort());
          if (rows.length >= 2) expect(state.first_positions[1]).toBe(rows[1]!.log_position);
          expect(witnessOf(state)).toEqual(buildWitness(analysis, attempts, { maxAttempts: WITNESS_ATTEMPTS_LIMIT }));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('asks for a window only when the NTP-corrected winner changes', () => {
    const [late, early, later] = rowsOf([
      {
        customer: 'Ana',
        server: 'server-1',
        serverTimeMs: 0,
        correctedMs: 50,
        errorBoundMs: 1,
        hlc: '0001:0',
        referenceMs: 0,
      },
      {
        customer: 'Bob',
        server: 'server-2',
        serverTimeMs: 0,
        correctedMs: 10,
        errorBoundMs: 1,
        hlc: '0001:0',
        referenceMs: 0,
      },
      {
        customer: 'Cy',
        server: 'server-3',
        serverTimeMs: 0,
        correctedMs: 90,
        errorBoundMs: 4,
        hlc: '0001:0',
        referenceMs: 0,
      },
    ]).map(witnessAttemptOf);
    const first = foldAttempts(null, [late!]);
    expect(first.windowBelow).toBeNull();
    const changed = foldAttempts(first.state, [early!]);
    expect(changed.windowBelow).toBe(10 + 1 + 1 + 1);
    expect(foldAttempts(changed.state, [later!]).windowBelow).toBeNull();
  });
});
