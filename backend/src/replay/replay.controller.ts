import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { progressOf, type ReplayJob } from './replay-job';
import { ReplayJobResponse, StartReplayDto } from './replay.dto';
import { ReplayService, UnknownRunError } from './replay.service';

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
  @ApiOperation({
    summary: 'Rebuild the read models from the log (all, or one scenario run); follow progress by id',
    description:
      'The rebuild runs beside the live read model and replaces it when caught up: reads keep answering from the previous model, and the live projection and settlement keep going. One at a time: while a rebuild runs, this answers with that job.',
  })
  @ApiAcceptedResponse({ type: ReplayJobResponse, description: 'The job started, or the one already running' })
  @ApiBadRequestResponse({ description: 'run_id is not a run id' })
  @ApiNotFoundResponse({ description: 'No run with this id in the log' })
  async start(@Body() body: StartReplayDto): Promise<ReplayJobResponse> {
    try {
      return toResponse(await this.replays.start(body.run_id ?? null));
    } catch (error) {
      if (error instanceof UnknownRunError) throw new NotFoundException(error.message);
      throw error;
    }
  }

  @Get(':id')
  @ApiOkResponse({ type: ReplayJobResponse })
  @ApiNotFoundResponse()
  async get(@Param('id') id: string): Promise<ReplayJobResponse> {
    const job = await this.replays.get(id);
    if (!job) throw new NotFoundException(`replay ${id} not found`);
    return toResponse(job);
  }
}
