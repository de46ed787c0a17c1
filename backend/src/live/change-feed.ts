/**
 * One feed for every open live stream. Each batch's messages are formatted
 * as Server-Sent Events once, into one string, and that same string is
 * written to every client: with 1,000 clients the cost of a batch is 1,000
 * socket writes, not 1,000 serializations of each of its events.
 */
import { Inject, Injectable } from '@nestjs/common';
import { distinctUntilChanged, map, merge, share, shareReplay, type Observable } from 'rxjs';
import { CHANGE_FEED_SOURCE, type ChangeFeedSource, type FeedMessage } from './change-feed.port';

/** One event in the text/event-stream format (JSON holds no raw newline, so one data line). */
export const formatEvent = (message: FeedMessage): string =>
  `event: ${message.type}\ndata: ${JSON.stringify(message.data)}\n\n`;

@Injectable()
export class ChangeFeed {
  private readonly changes$: Observable<string>;
  private readonly lag$: Observable<string>;

  constructor(@Inject(CHANGE_FEED_SOURCE) source: ChangeFeedSource) {
    this.changes$ = source.changes$.pipe(
      map((messages) => messages.map(formatEvent).join('')),
      share(),
    );
    // Only when it says something new (an idle lab sends nothing), the latest one to whoever joins.
    this.lag$ = source.lag$.pipe(
      map(formatEvent),
      distinctUntilChanged(),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
  }

  /** What one client is sent, as chunks of formatted events: the current lag first, then every change. */
  stream(): Observable<string> {
    return merge(this.lag$, this.changes$);
  }
}
