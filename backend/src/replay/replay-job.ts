/** Progress of one rebuild, as the API reports it. */
export type ReplayStatus = 'running' | 'completed' | 'failed';

export interface ReplayJob {
  id: string;
  runId: string | null;
  status: ReplayStatus;
  processedEvents: number;
  /** Log position reached, and the head the replay runs up to. */
  position: bigint;
  firstPosition: bigint;
  headPosition: bigint;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

/** Positions are sparse (PostgreSQL) or byte offsets (EventStoreDB), so progress is the share of the position range covered. */
export const progressOf = (job: ReplayJob): number => {
  if (job.status === 'completed') return 1;
  const span = job.headPosition - job.firstPosition;
  if (span <= 0n) return 0;
  const done = job.position - job.firstPosition;
  return Math.max(0, Math.min(1, Number((done * 10_000n) / span) / 10_000));
};
