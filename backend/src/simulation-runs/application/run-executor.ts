/**
 * Appends a run's plan to the log as the generator produces it, each step
 * with the expected revision the plan gives it: memory holds the batch being
 * built and the one in flight (EVENTS_PER_BATCH events each), never the run.
 * Attempts go in chunk streams (no_stream), each seat's resolution and later
 * revocations in its run-scoped seat stream (the stream revision is the
 * single guard that allows exactly one assignment, as for live seats),
 * detected clock steps in the run's clock stream of the server.
 *
 * Resuming: batches are appended strictly one after the other, a batch stores
 * a prefix of itself, and every event id is deterministic, so the log holds a
 * prefix of the plan. The executor finds the last attempt chunk in the log,
 * skips (without I/O) every step before it, and appends from there: steps
 * already stored are idempotent re-sends, the rest are new. An interrupted
 * run thus completes to exactly the events an uninterrupted one appends, in
 * the same order.
 */
import type { EventStore, EventToAppend, JsonObject, StreamAppend } from '../../event-store/event-store.port';
import { otherGeneratorMessage, runStreamId, type PlannedEvent, type RunOutcome, type RunPlan } from '../domain';
import { attemptChunksInLog } from './run-log';

const toAppend = ({ id, event }: PlannedEvent<{ type: string; data: object }>): EventToAppend => ({
  id,
  type: event.type,
  // Run events are plain JSON by construction (numbers, strings, booleans, nested objects).
  data: event.data as unknown as JsonObject,
});

export interface ExecutionOptions {
  /** Attempts of the run in the log so far (skipped ones included when resuming). */
  onProgress(appendedAttempts: number): void;
  /** Asked before every batch; true stops the execution there (the run stays resumable). */
  shouldStop?(): boolean;
  /** Called for each attempt chunk once its batch is stored (tests stop a process midway with it). */
  afterAttemptChunk?(chunksAppended: number, appendedAttempts: number): void;
  /** Called once the run's start is in the log and is this generator's (nothing is appended otherwise). */
  onStarted?(generatorVersion: number): void;
}

export type ExecutionResult =
  | {
      readonly status: 'completed';
      readonly startedPosition: bigint;
      readonly completedPosition: bigint;
      readonly outcome: RunOutcome;
      /** Attempt chunks found in the log at the start (0 for a fresh run). */
      readonly resumedAfterChunks: number;
    }
  | { readonly status: 'stopped'; readonly appendedAttempts: number };

/**
 * Steps go to the store in batches of about this many events, each batch one
 * appendToStreams (one statement on PostgreSQL): a seat resolution is one
 * or two events, so one append per step costed a round trip and a commit per
 * seat. A batch that fails stores a prefix of itself, so the log still holds
 * a prefix of the plan.
 */
export const EVENTS_PER_BATCH = 2000;

/** A batch of steps, and the attempt chunks in it (how many chunks of the run end with each, and its size). */
interface Batch {
  readonly appends: StreamAppend[];
  readonly chunks: { readonly chunksSoFar: number; readonly attempts: number }[];
  events: number;
}

const emptyBatch = (): Batch => ({ appends: [], chunks: [], events: 0 });

export const executePlan = async (
  store: EventStore,
  plan: RunPlan,
  options: ExecutionOptions,
): Promise<ExecutionResult> => {
  const runStream = runStreamId(plan.runId);
  // Idempotent when the run was started before (same id at revision 0).
  const started = await store.append(runStream, [toAppend(plan.started)], { expectedRevision: 'no_stream' });
  // The append above takes a start with the same id as a re-send, whatever version wrote it (a node
  // of another build may have started the run meanwhile): never append after another generator's start.
  const [storedStart] = await store.readStream(runStream, { maxCount: 1 });
  const startedBy = storedStart?.data['generatorVersion'];
  if (typeof startedBy === 'number' && startedBy !== plan.started.event.data.generatorVersion) {
    throw new Error(otherGeneratorMessage(plan.runId, startedBy));
  }
  options.onStarted?.(plan.started.event.data.generatorVersion);
  const chunksInLog = await attemptChunksInLog(store, plan.runId);
  // Every step before the last chunk in the log is in the log too; from that chunk on, re-send.
  const resumeAtChunk = Math.max(0, chunksInLog - 1);
  let chunks = 0;
  let appended = 0;
  const steps = plan.steps();
  /** The batch in flight and what to report once it is stored. */
  let inFlight: { readonly stored: Promise<unknown>; readonly batch: Batch } | null = null;
  const settle = async (): Promise<void> => {
    if (!inFlight) return;
    const { stored, batch } = inFlight;
    inFlight = null;
    await stored;
    for (const chunk of batch.chunks) {
      appended += chunk.attempts;
      options.onProgress(appended);
      options.afterAttemptChunk?.(chunk.chunksSoFar, appended);
    }
  };
  /** Sends a batch once the one in flight is stored; false when asked to stop instead. */
  const send = async (batch: Batch): Promise<boolean> => {
    await settle();
    if (options.shouldStop?.()) return false;
    inFlight = { stored: store.appendToStreams(batch.appends), batch };
    // A batch that fails while the next one is generated is reported at the next settle.
    inFlight.stored.catch(() => undefined);
    return true;
  };
  // Strictly one batch after the other: the run's events then sit in the global log in the
  // same order every time, not just with the same content (settlements in parallel would not).
  // The next batch is generated while the previous one is in flight (the store works in its
  // own thread or process), and sent only once that one is stored.
  let batch = emptyBatch();
  for (let next = steps.next(); ; next = steps.next()) {
    if (next.done) {
      if (batch.appends.length > 0 && !(await send(batch))) return { status: 'stopped', appendedAttempts: appended };
      await settle();
      const completed = await store.append(runStream, [toAppend(plan.completedOf(next.value))], {
        expectedRevision: 0n,
      });
      return {
        status: 'completed',
        startedPosition: started.position,
        completedPosition: completed.position,
        outcome: next.value,
        resumedAfterChunks: chunksInLog,
      };
    }
    const step = next.value;
    const isChunk = step.kind === 'attempts';
    if (isChunk) chunks += 1;
    // chunks − 1 is this chunk's index; for other steps, the index of the chunk before them.
    if (chunksInLog > 0 && chunks - 1 < resumeAtChunk) {
      if (isChunk) appended += step.events.length;
      continue;
    }
    const expectedRevision = step.expectedRevision === 'no_stream' ? 'no_stream' : BigInt(step.expectedRevision);
    batch.appends.push({ streamId: step.streamId, events: step.events.map(toAppend), expectedRevision });
    batch.events += step.events.length;
    if (isChunk) batch.chunks.push({ chunksSoFar: chunks, attempts: step.events.length });
    if (batch.events < EVENTS_PER_BATCH) continue;
    if (!(await send(batch))) return { status: 'stopped', appendedAttempts: appended };
    batch = emptyBatch();
  }
};
