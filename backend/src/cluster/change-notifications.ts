/**
 * Live changes between nodes, as PostgreSQL NOTIFY on the read model's
 * database. The node that projects sends them inside the batch's
 * transaction, so they are delivered exactly when the batch commits, in
 * commit order, to every node listening (itself included).
 */
import type { EntityManager } from 'typeorm';
import type { ChangeMessage, ResetMessage } from '../live/change-feed.port';
import { messagesOfBatch, resetMessage } from '../live/batch-messages';
import type { PublishedBatch } from '../read-model/projection-runner';

export const CHANGE_CHANNEL = 'lab_read_model_changes';

/** NOTIFY payloads must stay under 8,000 bytes: a batch's messages go out in chunks this big. */
const MAX_PAYLOAD_CHARS = 7000;

export interface ChangeNotification {
  /** The checkpoint the batch committed. */
  readonly position: bigint;
  readonly messages: readonly (ChangeMessage | ResetMessage)[];
}

interface Payload {
  readonly p: string;
  readonly m: readonly (ChangeMessage | ResetMessage)[];
}

/** One payload or more per batch (at least one, so followers hear of every commit). */
export const encodeNotifications = (published: PublishedBatch): string[] => {
  const position = published.position.toString();
  const messages =
    published.kind === 'swap'
      ? [resetMessage(published.position)]
      : messagesOfBatch(published.position, published.changes, published.recorded);
  const payloads: string[] = [];
  let chunk: (ChangeMessage | ResetMessage)[] = [];
  let size = 0;
  for (const message of messages) {
    const length = JSON.stringify(message).length + 1;
    if (chunk.length > 0 && size + length > MAX_PAYLOAD_CHARS) {
      payloads.push(JSON.stringify({ p: position, m: chunk } satisfies Payload));
      chunk = [];
      size = 0;
    }
    chunk.push(message);
    size += length;
  }
  payloads.push(JSON.stringify({ p: position, m: chunk } satisfies Payload));
  return payloads;
};

/** Null for a payload this version does not understand (ignored, never thrown). */
export const decodeNotification = (payload: string | undefined): ChangeNotification | null => {
  if (!payload) return null;
  try {
    const parsed = JSON.parse(payload) as Partial<Payload>;
    if (typeof parsed.p !== 'string' || !Array.isArray(parsed.m)) return null;
    return { position: BigInt(parsed.p), messages: parsed.m };
  } catch {
    return null;
  }
};

/** The runner's publish hook: NOTIFY in the batch's own transaction. */
export const publishOverNotify = async (manager: EntityManager, published: PublishedBatch): Promise<void> => {
  for (const payload of encodeNotifications(published)) {
    await manager.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, payload]);
  }
};
