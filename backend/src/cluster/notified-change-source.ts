/**
 * The change feed of a cluster node: whatever node projected the batch, its
 * changes arrive here over NOTIFY, so every node's live stream delivers
 * every change. The lag is this node's own (it follows the checkpoint).
 */
import { filter, map, share, type Observable } from 'rxjs';
import type { ChangeFeedSource, ChangeMessage, LagMessage, ResetMessage } from '../live/change-feed.port';
import { projectionLag$ } from '../live/in-process-change-source';
import type { ProjectionRunner } from '../read-model/projection-runner';
import type { ChangeNotificationListener } from './change-notification-listener';

export class NotifiedChangeSource implements ChangeFeedSource {
  readonly changes$: Observable<readonly (ChangeMessage | ResetMessage)[]>;
  readonly lag$: Observable<LagMessage>;

  constructor(listener: ChangeNotificationListener, runner: ProjectionRunner) {
    this.changes$ = listener.notifications$.pipe(
      map((notification) => notification.messages),
      filter((messages) => messages.length > 0),
      share(),
    );
    this.lag$ = projectionLag$(runner);
  }
}
