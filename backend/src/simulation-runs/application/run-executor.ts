/**
 * Appends a run's plan to the log, each step with the expected revision the
 * plan gives it. Attempts go in chunk streams (no_stream), each seat's
 * resolution and later revocations in its run-scoped seat stream (the stream
 * revision is the single guard that allows exactly one assignment, as for
 * live seats), detected clock steps in the run's clock stream of the server.
 */
import type { EventStore, EventToAppend, JsonObject } from '../../event-store/event-store.port';
import { runStreamId, type PlannedEvent, type RunPlan } from '../domain';

const toAppend = ({ id, event }: PlannedEvent<{ type: string; data: object }>): EventToAppend => ({
  id,
  type: event.type,
  // Run events are plain JSON by construction (numbers, strings, booleans, nested objects).
  data: event.data as unknown as JsonObject,
});

export interface ExecutionProgress {
  (appendedAttempts: number): void;
}

export interface ExecutionResult {
  readonly startedPosition: bigint;
  readonly completedPosition: bigint;
}

export const executePlan = async (
  store: EventStore,
  plan: RunPlan,
  onProgress: ExecutionProgress,
): Promise<ExecutionResult> => {
  const runStream = runStreamId(plan.runId);
  const started = await store.append(runStream, [toAppend(plan.started)], { expectedRevision: 'no_stream' });
  let appended = 0;
  // Strictly one append after the other: the run's events then sit in the global log in the
  // same order every time, not just with the same content (settlements in parallel would not).
  for (const step of plan.steps) {
    const expectedRevision = step.expectedRevision === 'no_stream' ? 'no_stream' : BigInt(step.expectedRevision);
    await store.append(step.streamId, step.events.map(toAppend), { expectedRevision });
    if (step.kind === 'attempts') {
      appended += step.events.length;
      onProgress(appended);
    }
  }
  const completed = await store.append(runStream, [toAppend(plan.completed)], { expectedRevision: 0n });
  return { startedPosition: started.position, completedPosition: completed.position };
};
