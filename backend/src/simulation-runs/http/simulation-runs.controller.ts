import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { SimulationEnabledGuard } from '../../clocks/http/simulation-enabled.guard';
import { RUN_ID_PATTERN, RunParametersError } from '../domain';
import {
  OtherGeneratorVersionError,
  RunIdConflictError,
  RunQueueFullError,
  SimulationRunsService,
} from '../application/simulation-runs.service';
import type { RunJob } from '../application/run-job';
import { StartRunDto } from './start-run.dto';
import { toRunResponse } from './run-response.mapper';
import { ScenarioRunClockOverride } from './run-clock-override';
import { ScenarioRunListResponse, ScenarioRunResponse } from './run.responses';

@ApiTags('simulation')
@ApiForbiddenResponse({ description: 'SIMULATION_ENABLED=false' })
// Reached only through additionalProperties (parameters.overrides), so the schema scan would miss it.
@ApiExtraModels(ScenarioRunClockOverride)
@UseGuards(SimulationEnabledGuard)
@Controller('api/simulation/runs')
export class SimulationRunsController {
  constructor(private readonly runs: SimulationRunsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Seeded scenario run on a virtual reference clock; follow it by id until status is completed',
    description:
      'Validated and queued at once (the run is generated in the background, streamed into the log). ' +
      'At most RUN_MAX_ATTEMPTS attempts per run; at most RUN_QUEUE_MAX runs queued or running. ' +
      'Posting a run that is in the log but incomplete (or failed) resumes it, unless another generator version ' +
      'started it (409).',
  })
  @ApiAcceptedResponse({
    type: ScenarioRunResponse,
    description: 'The run (new and queued, or the existing one with the same parameters)',
  })
  @ApiBadRequestResponse({ description: 'A wrong field, or a run above RUN_MAX_ATTEMPTS (nothing appended)' })
  @ApiConflictResponse({
    description: 'run_id names a run with other parameters, or an incomplete run another generator version started',
  })
  @ApiTooManyRequestsResponse({ description: 'RUN_QUEUE_MAX runs are queued or running; see Retry-After' })
  async start(
    @Body() body: StartRunDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScenarioRunResponse> {
    const { run_id: runId, ...request } = body;
    return toRunResponse(await this.answer(reply, () => this.runs.start(request, runId)));
  }

  @Post(':id/resume')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Finish a run that stopped midway (or failed): appends only what the log is missing',
  })
  @ApiAcceptedResponse({
    type: ScenarioRunResponse,
    description: 'The run, queued again (or as it is when not incomplete)',
  })
  @ApiNotFoundResponse()
  @ApiConflictResponse({
    description: "Another generator version started the run: this build would append its own events after the other's",
  })
  @ApiTooManyRequestsResponse({ description: 'RUN_QUEUE_MAX runs are queued or running; see Retry-After' })
  async resume(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<ScenarioRunResponse> {
    const job = RUN_ID_PATTERN.test(id) ? await this.answer(reply, () => this.runs.resume(id)) : null;
    if (!job) throw new NotFoundException(`run ${id} not found`);
    return toRunResponse(job);
  }

  /** The service's refusals in the API's error format (a full queue with Retry-After). */
  private async answer<T extends RunJob | null>(reply: FastifyReply, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof RunParametersError) throw new BadRequestException([...error.problems]);
      if (error instanceof RunIdConflictError || error instanceof OtherGeneratorVersionError) {
        throw new ConflictException(error.message);
      }
      if (error instanceof RunQueueFullError) {
        void reply.header('retry-after', String(error.retryAfterS));
        throw new HttpException(error.message, HttpStatus.TOO_MANY_REQUESTS);
      }
      throw error;
    }
  }

  @Get()
  @ApiOperation({ summary: 'Runs known to this process, newest first (any run in the log is reachable by id)' })
  @ApiOkResponse({ type: ScenarioRunListResponse })
  list(): ScenarioRunListResponse {
    const items = this.runs.list().map(toRunResponse);
    return { items, total: items.length };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status and progress of a run and, once completed, its report' })
  @ApiOkResponse({ type: ScenarioRunResponse })
  @ApiNotFoundResponse()
  async get(@Param('id') id: string): Promise<ScenarioRunResponse> {
    const job = await this.runs.get(id);
    if (!job) throw new NotFoundException(`run ${id} not found`);
    return toRunResponse(job);
  }
}
