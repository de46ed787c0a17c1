import { Module } from '@nestjs/common';
import { ChangeFeed } from './change-feed';
import { CHANGE_FEED_SOURCE, type ChangeFeedSource } from './change-feed.port';
import type { ChangeNotificationListener } from '../cluster/change-notification-listener';
import { CHANGE_NOTIFICATION_LISTENER } from '../cluster/cluster.module';
import { NotifiedChangeSource } from '../cluster/notified-change-source';
import type { ProjectionRunner } from '../read-model/projection-runner';
import { PROJECTION_RUNNER } from '../reservations/application/tokens';
import { InProcessChangeSource } from './in-process-change-source';
import { LiveStreamController } from './live-stream.controller';
import { StreamLimiter } from './stream-limiter';

@Module({
  controllers: [LiveStreamController],
  providers: [
    {
      provide: CHANGE_FEED_SOURCE,
      inject: [PROJECTION_RUNNER, CHANGE_NOTIFICATION_LISTENER],
      // In a cluster, changes projected on any node reach every node's streams over NOTIFY.
      useFactory: (runner: ProjectionRunner, listener: ChangeNotificationListener | null): ChangeFeedSource =>
        listener ? new NotifiedChangeSource(listener, runner) : new InProcessChangeSource(runner),
    },
    ChangeFeed,
    StreamLimiter,
  ],
  exports: [ChangeFeed],
})
export class LiveModule {}
