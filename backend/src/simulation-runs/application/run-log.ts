/**
 * What the log says about a run, read through the event store port only:
 * how many of its attempt chunks are appended (chunks are appended one after
 * the other, so they form a prefix: 0..k−1), how many attempts they hold, and
 * the queue of run requests.
 */
import type { EventStore, RecordedEvent } from '../../event-store/event-store.port';
import {
  RUN_QUEUE_STREAM,
  runChunkStreamId,
  SCENARIO_RUN_FINISHED,
  SCENARIO_RUN_REQUESTED,
  type RunParameters,
  type ScenarioRunFinished,
  type ScenarioRunRequested,
} from '../domain';

const chunkExists = async (store: EventStore, runId: string, chunk: number): Promise<boolean> =>
  (await store.readStream(runChunkStreamId(runId, chunk), { maxCount: 1 })).length > 0;

/** How many attempt chunks of the run are in the log (an exponential then binary search: ~2·log₂ k reads). */
export const attemptChunksInLog = async (store: EventStore, runId: string): Promise<number> => {
  if (!(await chunkExists(store, runId, 0))) return 0;
  let present = 0;
  let absent = 1;
  while (await chunkExists(store, runId, absent)) {
    present = absent;
    absent *= 2;
  }
  while (absent - present > 1) {
    const middle = Math.floor((present + absent) / 2);
    if (await chunkExists(store, runId, middle)) present = middle;
    else absent = middle;
  }
  return present + 1;
};

/** Attempts of the run in the log: the size of every appended chunk (one read of its last event each). */
export const attemptsInLog = async (store: EventStore, runId: string): Promise<number> => {
  const chunks = await attemptChunksInLog(store, runId);
  let attempts = 0;
  for (let chunk = 0; chunk < chunks; chunk += 1) {
    const [last] = await store.readStream(runChunkStreamId(runId, chunk), { direction: 'backwards', maxCount: 1 });
    attempts += last ? Number(last.revision) + 1 : 0;
  }
  return attempts;
};

/** A run as the queue stream knows it. */
export interface QueuedRunRecord {
  readonly runId: string;
  parameters: RunParameters;
  /** Requests seen (a failed run can be requested again); the next request's ordinal. */
  requests: number;
  /** True while the last request has no ScenarioRunFinished. */
  open: boolean;
  requestedAt: Date;
  /** The last finish, if any. */
  finished: ScenarioRunFinished['data'] | null;
}

/** The queue stream folded into one record per run, read from `fromRevision` on (incrementally). */
export class RunQueueIndex {
  private readonly runs = new Map<string, QueuedRunRecord>();
  private nextRevision = 0n;

  get(runId: string): QueuedRunRecord | undefined {
    return this.runs.get(runId);
  }

  /** Open requests in the order they were made. */
  open(): QueuedRunRecord[] {
    return [...this.runs.values()]
      .filter((run) => run.open)
      .sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime());
  }

  /** Reads what was appended to the queue stream since the last call (by any process). */
  async catchUp(store: EventStore): Promise<void> {
    for (;;) {
      const page = await store.readStream(RUN_QUEUE_STREAM, { fromRevision: this.nextRevision, maxCount: 1000 });
      for (const event of page) this.apply(event);
      if (page.length < 1000) return;
    }
  }

  private apply(event: RecordedEvent): void {
    this.nextRevision = event.revision + 1n;
    if (event.type === SCENARIO_RUN_REQUESTED) {
      const { runId, parameters } = event.data as unknown as ScenarioRunRequested['data'];
      const known = this.runs.get(runId);
      if (known) {
        known.requests += 1;
        known.open = true;
        known.requestedAt = event.createdAt;
      } else {
        this.runs.set(runId, {
          runId,
          parameters,
          requests: 1,
          open: true,
          requestedAt: event.createdAt,
          finished: null,
        });
      }
    } else if (event.type === SCENARIO_RUN_FINISHED) {
      const data = event.data as unknown as ScenarioRunFinished['data'];
      const known = this.runs.get(data.runId);
      if (!known) return;
      // A completed run is answered from its own stream from now on; only open and failed ones stay here.
      if (data.outcome === 'completed') this.runs.delete(data.runId);
      else {
        known.open = false;
        known.finished = data;
      }
    }
  }
}
