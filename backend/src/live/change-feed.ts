/**
 * One feed for every open live stream: the source's messages, serialized
 * once (Nest passes string data through as is), fanned out in memory.
 */
import { Inject, Injectable, type MessageEvent } from '@nestjs/common';
import { map, merge, share, shareReplay, type Observable } from 'rxjs';
import { CHANGE_FEED_SOURCE, type ChangeFeedSource, type FeedMessage } from './change-feed.port';

const toEvent = (message: FeedMessage): MessageEvent => ({ type: message.type, data: JSON.stringify(message.data) });

@Injectable()
export class ChangeFeed {
  private readonly changes$: Observable<MessageEvent>;
  private readonly lag$: Observable<MessageEvent>;

  constructor(@Inject(CHANGE_FEED_SOURCE) source: ChangeFeedSource) {
    this.changes$ = source.changes$.pipe(map(toEvent), share());
    // The source replays its latest lag to each new subscriber; serialize that once too.
    this.lag$ = source.lag$.pipe(map(toEvent), shareReplay({ bufferSize: 1, refCount: true }));
  }

  /** What one client's stream sends: every change from now on, and the lag (the latest one first). */
  stream(): Observable<MessageEvent> {
    return merge(this.changes$, this.lag$);
  }
}
