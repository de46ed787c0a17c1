import { Controller, Inject, Req, Res, Sse, type MessageEvent } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { finalize, type Observable } from 'rxjs';
import { ChangeFeed } from './change-feed';
import { RETRY_AFTER_S, StreamLimiter, TooManyStreamsError } from './stream-limiter';

@ApiTags('live')
@Controller('api/events')
export class LiveStreamController {
  constructor(
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(StreamLimiter) private readonly limiter: StreamLimiter,
  ) {}

  @Sse('stream')
  @ApiOperation({
    summary: 'Server-Sent Events: read-model changes and a caught-up / lag marker',
    description:
      'Events: `change` {entity, id, run_id, position} for each changed seat/attempt/conflict/clock; `reset` {position} when a batch changed more than the stream sends one by one, or a rebuilt model was swapped in (refetch); `lag` {head_position, projected_position, caught_up} on connect, every second and after batches. Open streams are capped per client (SSE_MAX_STREAMS_PER_CLIENT, else 429) and in all (SSE_MAX_STREAMS, else 503), both with Retry-After.',
  })
  @ApiOkResponse({ description: 'text/event-stream' })
  @ApiTooManyRequestsResponse({ description: 'This client has SSE_MAX_STREAMS_PER_CLIENT streams open already' })
  @ApiServiceUnavailableResponse({ description: 'The server has SSE_MAX_STREAMS streams open already' })
  stream(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Observable<MessageEvent> {
    let release: () => void;
    try {
      release = this.limiter.acquire(request.ip);
    } catch (error) {
      if (error instanceof TooManyStreamsError) void reply.header('retry-after', String(RETRY_AFTER_S));
      throw error;
    }
    return this.feed.stream().pipe(finalize(release));
  }
}
