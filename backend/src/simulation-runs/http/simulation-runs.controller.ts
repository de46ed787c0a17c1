import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { SimulationEnabledGuard } from '../../clocks/http/simulation-enabled.guard';
import { RunParametersError } from '../domain';
import { RunIdConflictError, SimulationRunsService } from '../application/simulation-runs.service';
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
  })
  @ApiAcceptedResponse({
    type: ScenarioRunResponse,
    description: 'The run (new, or the existing one with the same parameters)',
  })
  async start(@Body() body: StartRunDto): Promise<ScenarioRunResponse> {
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
