import type { AppendResult, EventToAppend } from '../event-store.port';

export interface NewStreamAppend {
  readonly streamId: string;
  readonly event: EventToAppend;
}

/** Writes one group in one statement; answers with what it appended, by groupKey. */
export type GroupWriter = (group: readonly NewStreamAppend[]) => Promise<ReadonlyMap<string, AppendResult>>;

/** Which append a row answers: a group may hold the same stream or the same event id twice. */
export const groupKey = (streamId: string, eventId: string): string => `${streamId}\u0000${eventId.toLowerCase()}`;

interface Waiting extends NewStreamAppend {
  readonly resolve: (result: AppendResult | null) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for the commonest append: one event to a new stream (every
 * reservation attempt). Appends that arrive while earlier groups are in
 * flight wait and go out together as one multi-row statement, each still its
 * own stream and event, each answered only after the commit that holds it.
 * An append that finds fewer than `maxInFlight` groups in flight goes out at
 * once: nothing waits for a timer. An append the statement skipped (its
 * stream exists, its id is stored) is answered null, and the caller takes
 * the single-append path, which says why.
 */
export class NewStreamGroupCommit {
  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: GroupWriter,
    private readonly maxInFlight: number,
    private readonly maxGroupSize: number,
  ) {}

  append(streamId: string, event: EventToAppend): Promise<AppendResult | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ streamId, event, resolve, reject });
      this.sendWhatCanGo();
    });
  }

  private sendWhatCanGo(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.maxGroupSize);
      this.inFlight += 1;
      void this.send(group);
    }
  }

  private async send(group: readonly Waiting[]): Promise<void> {
    try {
      const appended = await this.write(group);
      for (const each of group) each.resolve(appended.get(groupKey(each.streamId, each.event.id)) ?? null);
    } catch (error) {
      for (const each of group) each.reject(error);
    } finally {
      this.inFlight -= 1;
      this.sendWhatCanGo();
    }
  }
}
