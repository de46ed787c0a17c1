/**
 * Appends a run's plan to the log as the generator produces it, each step
 * with the expected revision the plan gives it: memory holds one step, never
 * the run. Attempts go in chunk streams (no_stream), each seat's resolution
 * and later revocations in its run-scoped seat stream (the stream revision is
 * the single guard that allows exactly one assignment, as for live seats),
 * detected clock steps in the run's clock stream of the server.
 *
 * Resuming: steps are appended strictly one after the other and every event
 * id is deterministic, so the log holds a prefix of the plan. The executor
 * finds the last attempt chunk in the log, skips (without I/O) every step
 * before it, and appends from there: steps already stored are idempotent
 * re-sends, the rest are new. An interrupted run thus completes to exactly the
 * events an uninterrupted one appends, in the same order.
 */
import type { EventStore, EventToAppend, JsonObject } from '../../event-store/event-store.port';
import { runStreamId, type PlannedEvent, type RunOutcome, type RunPlan } from '../domain';
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
  /** Asked after every append; true stops the execution there (the run stays resumable). */
  shouldStop?(): boolean;
  /** Called after each attempt chunk is appended (tests stop a process midway with it). */
  afterAttemptChunk?(chunksAppended: number, appendedAttempts: number): void;
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

export const executePlan = async (
  store: EventStore,
  plan: RunPlan,
  options: ExecutionOptions,
): Promise<ExecutionResult> => {
  const runStream = runStreamId(plan.runId);
  // Idempotent when the run was started before (same id at revision 0).
  const started = await store.append(runStream, [toAppend(plan.started)], { expectedRevision: 'no_stream' });
  const chunksInLog = await attemptChunksInLog(store, plan.runId);
  // Every step before the last chunk in the log is in the log too; from that chunk on, re-send.
  const resumeAtChunk = Math.max(0, chunksInLog - 1);
  let chunks = 0;
  let appended = 0;
  const steps = plan.steps();
  /** The append in flight and what to report once it is stored. */
  let inFlight: { readonly stored: Promise<unknown>; readonly attempts: number; readonly chunks: number } | null = null;
  const settle = async (): Promise<void> => {
    if (!inFlight) return;
    const { stored, attempts, chunks: chunksAfter } = inFlight;
    inFlight = null;
    await stored;
    if (attempts > 0) {
      appended += attempts;
      options.onProgress(appended);
      options.afterAttemptChunk?.(chunksAfter, appended);
    }
  };
  // Strictly one append after the other: the run's events then sit in the global log in the
  // same order every time, not just with the same content (settlements in parallel would not).
  // The next step is generated while the previous append is in flight (the store works in its
  // own thread or process), and appended only once that one is stored.
  for (let next = steps.next(); ; next = steps.next()) {
    if (next.done) {
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
    const events = step.events.map(toAppend);
    await settle();
    if (options.shouldStop?.()) return { status: 'stopped', appendedAttempts: appended };
    inFlight = {
      stored: store.append(step.streamId, events, { expectedRevision }),
      attempts: isChunk ? step.events.length : 0,
      chunks,
    };
    // An append that fails while the next step is generated is reported at the next settle.
    inFlight.stored.catch(() => undefined);
  }
};
