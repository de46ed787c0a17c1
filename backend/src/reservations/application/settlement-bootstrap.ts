/**
 * The settlement workflow's state for the live seats, taken from the read
 * model together with the projection runner's checkpoint in one snapshot:
 * the workflow then follows the log from exactly that position.
 */
import type { DataSource } from 'typeorm';
import type { SeatSettlementState, SettlementRules } from '../domain/settlement/settlement-workflow';
import { attemptFactsOfRow, type AttemptRow } from '../projections/attempt-row';
import { loadCurrentSession } from '../projections/lab-session-sql';

/** The runner's default checkpoint (read-model/projection-runner.ts). */
const READ_MODEL_CHECKPOINT = 'read_model';

interface SeatHolderRow {
  seat_id: number;
  holder_attempt_id: string | null;
  holder_customer_name: string | null;
  holder_server_id: string | null;
}

export const loadSettlementStates = async (
  dataSource: DataSource,
  rules: SettlementRules,
): Promise<{ states: Map<number, SeatSettlementState>; position: bigint; session: number }> =>
  dataSource.transaction('REPEATABLE READ', async (manager) => {
    const checkpoint: { position: string }[] = await manager.query(
      `SELECT position FROM projection_checkpoints WHERE name = $1`,
      [READ_MODEL_CHECKPOINT],
    );
    const seats: SeatHolderRow[] = await manager.query(
      `SELECT seat_id, holder_attempt_id, holder_customer_name, holder_server_id
         FROM rm_seats WHERE run_id = '' AND (holder_attempt_id IS NOT NULL OR attempts_count > 0)`,
    );
    // Open seats need every attempt; settled ones only the confirmed losers not revoked yet.
    const attempts: AttemptRow[] = await manager.query(
      `SELECT a.* FROM rm_attempts a JOIN rm_seats s ON s.run_id = a.run_id AND s.seat_id = a.seat_id
        WHERE a.run_id = '' AND (s.holder_attempt_id IS NULL
           OR (a.local_decision = 'confirmed' AND NOT a.revoked AND a.attempt_id <> s.holder_attempt_id))
        ORDER BY a.log_position`,
    );
    const bySeat = new Map<number, AttemptRow[]>();
    for (const attempt of attempts) bySeat.set(attempt.seat_id, [...(bySeat.get(attempt.seat_id) ?? []), attempt]);
    const states = new Map<number, SeatSettlementState>();
    for (const seat of seats) {
      const rows = bySeat.get(seat.seat_id) ?? [];
      const identity = { seatId: seat.seat_id, runId: null, rules };
      if (seat.holder_attempt_id) {
        states.set(seat.seat_id, {
          ...identity,
          status: 'settled',
          holder: {
            attemptId: seat.holder_attempt_id,
            customerName: seat.holder_customer_name!,
            serverId: seat.holder_server_id!,
          },
          unrevoked: rows.map(attemptFactsOfRow),
          revokingIds: new Set(),
        });
      } else if (rows.length > 0) {
        states.set(seat.seat_id, {
          ...identity,
          status: 'open',
          attempts: rows.map(attemptFactsOfRow),
          // When the log first held an attempt of the seat: as close as a restart can know when it was first seen.
          firstSeenAtMs: Math.min(...rows.map((row) => new Date(row.recorded_at).getTime())),
          dueAtLogHead: null,
          assigning: false,
        });
      }
    }
    const session = await loadCurrentSession(manager);
    return { states, position: checkpoint[0] ? BigInt(checkpoint[0].position) : 0n, session };
  });
