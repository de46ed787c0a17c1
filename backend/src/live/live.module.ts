import { Module } from '@nestjs/common';
import { ChangeFeed } from './change-feed';
import { CHANGE_FEED_SOURCE } from './change-feed.port';
import { InProcessChangeSource } from './in-process-change-source';
import { LiveStreamController } from './live-stream.controller';
import { StreamLimiter } from './stream-limiter';

@Module({
  controllers: [LiveStreamController],
  providers: [{ provide: CHANGE_FEED_SOURCE, useClass: InProcessChangeSource }, ChangeFeed, StreamLimiter],
  exports: [ChangeFeed],
})
export class LiveModule {}
