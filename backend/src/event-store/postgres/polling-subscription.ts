import type { WakeSignal } from './wake-signal';

export interface PollingSubscriptionSource<Item> {
  /** What is committed strictly after `after`, in position order, at most `maxCount` items. */
  readPage(after: bigint, maxCount: number): Promise<readonly Item[]>;
  /** Where an item sits in the global log: the next page is read after the last item's position. */
  positionOf(item: Item): bigint;
  readonly appended: WakeSignal;
  readonly pollIntervalMs: number;
}

const PAGE_SIZE = 500;

/**
 * Catch-up then live subscription to the global log (its events, or just its
 * head): it pages through what is committed, then sleeps until this process
 * appends (in-process signal) or the poll interval passes (appends by other
 * processes). Errors from the store end the iteration by throwing to the
 * consumer, who holds the checkpoint and decides how to resume.
 */
export class PollingSubscription<Item> implements AsyncIterable<Item> {
  private stopped = false;
  private started = false;
  private wakeOnStop: (() => void) | undefined;
  private inFlightRead: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly source: PollingSubscriptionSource<Item>,
    private readonly after: bigint,
    private readonly onEnd: (subscription: PollingSubscription<Item>) => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Item> {
    if (this.started) throw new Error('A subscription can be iterated only once');
    this.started = true;
    return this.items();
  }

  /** Ends the iteration (a pending `next()` resolves as done) and waits for an in-flight read. */
  async unsubscribe(): Promise<void> {
    this.stopped = true;
    this.wakeOnStop?.();
    this.onEnd(this);
    await this.inFlightRead.catch(() => undefined);
  }

  private async *items(): AsyncGenerator<Item, void, undefined> {
    let cursor = this.after;
    try {
      while (!this.stopped) {
        // Read the signal before the query so an append that lands during it is not slept through.
        const seen = this.source.appended.current;
        const read = this.source.readPage(cursor, PAGE_SIZE);
        this.inFlightRead = read;
        const page = await read;
        for (const item of page) {
          if (this.stopped) return;
          yield item;
          cursor = this.source.positionOf(item);
        }
        if (page.length < PAGE_SIZE) await this.sleep(seen);
      }
    } finally {
      this.stopped = true;
      this.onEnd(this);
    }
  }

  private async sleep(seenGeneration: number): Promise<void> {
    if (this.stopped) return;
    const stop = new Promise<void>((resolve) => (this.wakeOnStop = resolve));
    await Promise.race([this.source.appended.wait(this.source.pollIntervalMs, seenGeneration), stop]);
    this.wakeOnStop = undefined;
  }
}
