import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChangeFeed } from './change-feed';
import { pipeEventStream } from './sse-response';
import { RETRY_AFTER_S, StreamLimiter, TooManyStreamsError } from './stream-limiter';

@ApiTags('live')
@Controller('api/events')
export class LiveStreamController {
  constructor(
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(StreamLimiter) private readonly limiter: StreamLimiter,
  ) {}

  @Get('stream')
  @ApiOperation({
    summary: 'Server-Sent Events: read-model changes and a caught-up / lag marker',
    description:
      'Events: `change` {entity, id, run_id, position} for each changed seat/attempt/conflict/clock; `reset` {position} when a batch changed more than the stream sends one by one, or a rebuilt model was swapped in (refetch); `lag` {head_position, projected_position, caught_up} on connect and whenever it changes (checked every second and after batches). Open streams are capped per client (SSE_MAX_STREAMS_PER_CLIENT, else 429) and in all (SSE_MAX_STREAMS, else 503), both with Retry-After.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream' })
  @ApiTooManyRequestsResponse({ description: 'This client has SSE_MAX_STREAMS_PER_CLIENT streams open already' })
  @ApiServiceUnavailableResponse({ description: 'The server has SSE_MAX_STREAMS streams open already' })
  stream(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    let release: () => void;
    try {
      release = this.limiter.acquire(request.ip);
    } catch (error) {
      // Refused before anything is written: the exception filter answers in the API's error format.
      if (error instanceof TooManyStreamsError) void reply.header('retry-after', String(RETRY_AFTER_S));
      throw error;
    }
    // From here on the raw response is ours (Fastify and Nest send nothing more).
    reply.hijack();
    pipeEventStream(request.raw, reply.raw, this.feed.stream(), release, reply.getHeaders());
  }
}
