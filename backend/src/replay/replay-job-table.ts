/**
 * Replay jobs in the read model's database, so every node (and this one
 * after a restart) answers for a job any node started. A job still
 * "running" whose node stopped reporting is reported failed.
 */
import { isUUID } from 'class-validator';
import type { DataSource } from 'typeorm';
import type { ReplayJob } from './replay-job';

/** The node running a job writes its progress at least this often. */
export const REPLAY_PROGRESS_EVERY_MS = 500;
const ABANDONED_AFTER_S = 15;

interface ReplayJobRow {
  id: string;
  run_id: string | null;
  status: ReplayJob['status'];
  processed_events: string;
  position: string;
  first_position: string;
  head_position: string;
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
  node_name: string;
  abandoned: boolean;
}

export class ReplayJobTable {
  constructor(
    private readonly dataSource: DataSource,
    private readonly nodeName: string,
  ) {}

  async save(job: ReplayJob): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO replay_jobs (id, run_id, status, processed_events, position, first_position, head_position,
                                started_at, finished_at, error, node_name, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, processed_events = EXCLUDED.processed_events,
         position = EXCLUDED.position, head_position = EXCLUDED.head_position, finished_at = EXCLUDED.finished_at,
         error = EXCLUDED.error, updated_at = now()`,
      [
        job.id,
        job.runId,
        job.status,
        job.processedEvents,
        job.position.toString(),
        job.firstPosition.toString(),
        job.headPosition.toString(),
        job.startedAt,
        job.finishedAt,
        job.error,
        this.nodeName,
      ],
    );
  }

  async load(id: string): Promise<ReplayJob | undefined> {
    // Any string reaches here from the URL: one that is no uuid is no job (the column would refuse it).
    if (!isUUID(id)) return undefined;
    const rows: ReplayJobRow[] = await this.dataSource.query(
      `SELECT *, status = 'running' AND updated_at < now() - make_interval(secs => $2) AS abandoned
         FROM replay_jobs WHERE id = $1`,
      [id, ABANDONED_AFTER_S],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      runId: row.run_id,
      status: row.abandoned ? 'failed' : row.status,
      processedEvents: Number(row.processed_events),
      position: BigInt(row.position),
      firstPosition: BigInt(row.first_position),
      headPosition: BigInt(row.head_position),
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      error: row.abandoned ? `node "${row.node_name}" stopped while running this replay` : row.error,
    };
  }
}
