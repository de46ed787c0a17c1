import type { ReadModelChange } from '../read-model/projection';

/** One change per entity per batch, the last one wins (it carries the highest position). */
export const uniqueChanges = (changes: readonly ReadModelChange[]): ReadModelChange[] => {
  const byKey = new Map<string, ReadModelChange>();
  for (const change of changes) byKey.set(`${change.entity}\u0000${change.runId}\u0000${change.id}`, change);
  return [...byKey.values()];
};
