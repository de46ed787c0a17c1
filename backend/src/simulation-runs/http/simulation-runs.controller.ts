import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/environment';
import { RunParametersError } from '../domain';
import { RunIdConflictError, SimulationRunsService } from '../application/simulation-runs.service';
import { StartRunDto } from './start-run.dto';
import { toRunResponse, type RunResponse } from './run.responses';

@ApiTags('simulation')
@ApiForbiddenResponse({ description: 'SIMULATION_ENABLED=false' })
@Controller('api/simulation/runs')
export class SimulationRunsController {
  constructor(
    private readonly runs: SimulationRunsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Seeded scenario run on a virtual reference clock; follow it by id until status is completed',
  })
  @ApiAcceptedResponse({ description: 'The run (new, or the existing one with the same parameters)' })
  async start(@Body() body: StartRunDto): Promise<RunResponse> {
    this.ensureEnabled();
    try {
      const { run_id: runId, ...request } = body;
      return toRunResponse(await this.runs.start(request, runId));
    } catch (error) {
      if (error instanceof RunParametersError) throw new BadRequestException([...error.problems]);
      if (error instanceof RunIdConflictError) throw new ConflictException(error.message);
      throw error;
    }
  }

  @Get()
  @ApiOperation({ summary: 'Runs known to this process, newest first (any run in the log is reachable by id)' })
  list(): { items: RunResponse[]; total: number } {
    this.ensureEnabled();
    const items = this.runs.list().map(toRunResponse);
    return { items, total: items.length };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status and progress of a run and, once completed, its report' })
  @ApiNotFoundResponse()
  async get(@Param('id') id: string): Promise<RunResponse> {
    this.ensureEnabled();
    const job = await this.runs.get(id);
    if (!job) throw new NotFoundException(`run ${id} not found`);
    return toRunResponse(job);
  }

  private ensureEnabled(): void {
    if (!this.config.SIMULATION_ENABLED)
      throw new ForbiddenException('simulation is disabled (SIMULATION_ENABLED=false)');
  }
}
