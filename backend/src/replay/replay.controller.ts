import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { progressOf, type ReplayJob } from './replay-job';
import { ReplayJobResponse, StartReplayDto } from './replay.dto';
import { ReplayService } from './replay.service';

const toResponse = (job: ReplayJob): ReplayJobResponse => ({
  id: job.id,
  run_id: job.runId,
  status: job.status,
  processed_events: job.processedEvents,
  progress: progressOf(job),
  position: job.position.toString(),
  head_position: job.headPosition.toString(),
  started_at: job.startedAt.toISOString(),
  finished_at: job.finishedAt?.toISOString() ?? null,
  error: job.error,
});

@ApiTags('replay')
@Controller('api/replay')
export class ReplayController {
  constructor(private readonly replays: ReplayService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild the read models from the log (all, or one scenario run); follow progress by id' })
  @ApiAcceptedResponse({ type: ReplayJobResponse })
  async start(@Body() body: StartReplayDto): Promise<ReplayJobResponse> {
    return toResponse(await this.replays.start(body.run_id ?? null));
  }

  @Get(':id')
  @ApiOkResponse({ type: ReplayJobResponse })
  @ApiNotFoundResponse()
  get(@Param('id') id: string): ReplayJobResponse {
    const job = this.replays.get(id);
    if (!job) throw new NotFoundException(`replay ${id} not found`);
    return toResponse(job);
  }
}
