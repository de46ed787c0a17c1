/**
 * The port's AllSubscription over an EventStoreDB catch-up subscription to `$all`.
 *
 * The client's subscription is a Node stream whose iterator does not end when
 * the gRPC call is cancelled, so every wait races a "terminal" signal that
 * unsubscribe() (or a stream error) settles: a pending `next()` then resolves
 * as done, or throws the mapped error.
 */
import type { AllStreamSubscription } from '@eventstore/db-client';
import type { AllSubscription, RecordedEvent } from '../event-store.port';
import { toPortError } from './esdb-error-mapping';
import { commitPositionOf, toRecordedEvent } from './esdb-event-mapping';

type Terminal = { readonly kind: 'stopped' } | { readonly kind: 'failed'; readonly error: unknown };

export class EsdbAllSubscription implements AllSubscription {
  private started = false;
  private cancelled = false;
  private terminal: Terminal | undefined;
  private settleTerminal: (terminal: Terminal) => void = () => undefined;
  private readonly terminated = new Promise<Terminal>((resolve) => (this.settleTerminal = resolve));

  constructor(
    private readonly source: AllStreamSubscription,
    /** Events at or before this position are skipped (the port's `after` is exclusive). */
    private readonly after: bigint,
    private readonly onEnd: (subscription: EsdbAllSubscription) => void,
  ) {
    // An error before (or without) iteration must not become an unhandled 'error' event.
    source.on('error', (error: Error) => this.end({ kind: 'failed', error: toPortError(error) }));
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('A subscription can be iterated only once');
    this.started = true;
    return this.events();
  }

  /** Ends the iteration (a pending `next()` resolves as done) and cancels the gRPC call. Idempotent. */
  async unsubscribe(): Promise<void> {
    if (this.cancelled) return;
    this.cancelled = true;
    this.end({ kind: 'stopped' });
    await this.source.unsubscribe().catch(() => undefined);
    this.source.destroy();
  }

  private async *events(): AsyncGenerator<RecordedEvent, void, undefined> {
    const upstream = this.source[Symbol.asyncIterator]();
    try {
      while (true) {
        const next = await Promise.race([upstream.next(), this.terminated]);
        if ('kind' in next) {
          if (next.kind === 'failed') throw next.error;
          return;
        }
        if (next.done === true) return;
        if (commitPositionOf(next.value) <= this.after) continue;
        const recorded = toRecordedEvent(next.value);
        if (recorded !== undefined) yield recorded;
      }
    } catch (error) {
      throw toPortError(error);
    } finally {
      await this.unsubscribe();
    }
  }

  private end(terminal: Terminal): void {
    if (this.terminal !== undefined) return;
    this.terminal = terminal;
    this.settleTerminal(terminal);
    this.onEnd(this);
  }
}
