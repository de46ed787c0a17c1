/** What a committed batch or swap says to live streams: its changes, or "reset" when they are too many to send. */
import type { RecordedEvent } from '../event-store/event-store.port';
import type { ReadModelChange } from '../read-model/projection';
import { LAB_SESSION_STARTED } from '../reservations/domain/lab-session';
import type { ChangeMessage, ResetMessage } from './change-feed.port';
import { uniqueChanges } from './unique-changes';

/** A batch of a 100,000-attempt run would flood a browser; past this, clients refetch instead. */
export const MAX_CHANGES_PER_BATCH = 200;

export const resetMessage = (position: bigint): ResetMessage => ({
  type: 'reset',
  data: { position: position.toString() },
});

export const messagesOfBatch = (
  position: bigint,
  changes: readonly ReadModelChange[],
  recorded: readonly RecordedEvent[],
): (ChangeMessage | ResetMessage)[] => {
  const unique = uniqueChanges(changes);
  // A lab reset moves every live row to the ended session: consoles reload.
  const labReset = recorded.some((event) => event.type === LAB_SESSION_STARTED);
  if (labReset || unique.length > MAX_CHANGES_PER_BATCH) return [resetMessage(position)];
  return unique.map((change) => ({
    type: 'change',
    data: { entity: change.entity, id: change.id, run_id: change.runId, position: change.position },
  }));
};
