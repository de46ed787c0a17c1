import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  UseGuards,
  BadRequestException,
  ConflictException,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { UnknownServerError, type BookingServerClockSet } from '../application/booking-server-clock-set';
import { BOOKING_SERVER_CLOCK_SET } from '../application/clock-tokens';
import { RealClockNotConfigurableError } from '../application/real-process-clock';
import { isScenarioName, listScenarios } from '../domain/scenarios';
import { presentConfig } from './clock-presenter';
import { AppliedScenarioResponse, ClockConfigResponse, ScenarioResponse } from './clock.responses';
import { SimulationEnabledGuard } from './simulation-enabled.guard';
import { UpdateClockDto } from './update-clock.dto';

@ApiTags('simulation')
@ApiForbiddenResponse({ description: 'SIMULATION_ENABLED=false' })
@UseGuards(SimulationEnabledGuard)
@Controller('api/simulation')
export class SimulationClocksController {
  constructor(@Inject(BOOKING_SERVER_CLOCK_SET) private readonly clocks: BookingServerClockSet) {}

  @Get('offsets')
  @ApiOperation({ summary: 'The configured clock of every booking server' })
  @ApiOkResponse({ type: [ClockConfigResponse] })
  offsets(): ClockConfigResponse[] {
    return this.clocks.serverIds().map((id) => presentConfig(this.clocks.get(id)));
  }

  @Put('offsets/:server_id')
  @ApiOperation({ summary: "Change a server's offset, drift, jitter or delays at runtime (appended as an event)" })
  @ApiOkResponse({ type: ClockConfigResponse })
  @ApiNotFoundResponse({ description: 'Unknown server_id' })
  @ApiConflictResponse({ description: 'CLOCK_SOURCE=real: the server runs on the process clock' })
  async update(@Param('server_id') serverId: string, @Body() body: UpdateClockDto): Promise<ClockConfigResponse> {
    if (!this.clocks.has(serverId))
      throw new NotFoundException(new UnknownServerError(serverId, this.clocks.serverIds()).message);
    const change = {
      ...(body.offset_ms !== undefined && { offsetMs: body.offset_ms }),
      ...(body.drift_ppm !== undefined && { driftPpm: body.drift_ppm }),
      ...(body.jitter_ms !== undefined && { jitterMs: body.jitter_ms }),
      ...(body.outbound_delay_ms !== undefined && { outboundDelayMs: body.outbound_delay_ms }),
      ...(body.inbound_delay_ms !== undefined && { inboundDelayMs: body.inbound_delay_ms }),
      ...(body.never_syncs !== undefined && { neverSyncs: body.never_syncs }),
    };
    if (Object.keys(change).length === 0) {
      throw new BadRequestException([
        'send at least one of offset_ms, drift_ppm, jitter_ms, outbound_delay_ms, inbound_delay_ms, never_syncs',
      ]);
    }
    return presentConfig(await refusingRealClocks(() => this.clocks.configure(serverId, change)));
  }

  @Get('scenarios')
  @ApiOkResponse({ type: [ScenarioResponse] })
  scenarios(): ScenarioResponse[] {
    return listScenarios().map(({ name, description }) => ({ name, description }));
  }

  @Post('scenarios/:name/apply')
  @HttpCode(200)
  @ApiOperation({ summary: "Apply a scenario's clocks to every server; the same seed gives the same clocks" })
  @ApiQuery({ name: 'seed', required: false, type: String, description: 'Integer seed, default 1' })
  @ApiQuery({
    name: 'sync',
    required: false,
    type: String,
    description:
      'Sync every server once after applying (default true); false leaves the old NTP estimates in place until the next periodic sync',
  })
  @ApiOkResponse({ type: AppliedScenarioResponse })
  @ApiNotFoundResponse({ description: 'Unknown scenario (the message lists the known ones)' })
  @ApiConflictResponse({ description: 'CLOCK_SOURCE=real: the servers run on the process clock' })
  async apply(@Param('name') name: string, @Query() query: Record<string, unknown>): Promise<AppliedScenarioResponse> {
    // Strict query (issue 13.9): `seed[]=1` or `sede=3` is a mistake to name, not a default to fall back to.
    const unknown = Object.keys(query).filter((key) => key !== 'seed' && key !== 'sync');
    if (unknown.length > 0) {
      throw new BadRequestException(unknown.map((key) => `${key} is not an accepted query parameter (seed, sync)`));
    }
    const rawSeed = query['seed'];
    const rawSync = query['sync'];
    if (!isScenarioName(name)) {
      throw new NotFoundException(
        `unknown scenario "${name}"; known: ${listScenarios()
          .map((s) => s.name)
          .join(', ')}`,
      );
    }
    // `seed=` is not 0 (Number('') is): only decimal digits, once.
    if (rawSeed !== undefined && (typeof rawSeed !== 'string' || !/^-?\d{1,16}$/.test(rawSeed))) {
      throw new BadRequestException(['seed must be an integer']);
    }
    const seed = rawSeed === undefined ? 1 : Number(rawSeed);
    if (!Number.isSafeInteger(seed)) throw new BadRequestException(['seed must be an integer']);
    if (rawSync !== undefined && rawSync !== 'true' && rawSync !== 'false') {
      throw new BadRequestException(['sync must be true or false']);
    }
    await refusingRealClocks(() => this.clocks.applyScenario(name, seed));
    // A scenario describes a situation NTP has already seen once; stale estimates are a separate experiment (sync=false).
    if (rawSync !== 'false') await this.clocks.syncAll();
    return { scenario: name, seed, servers: this.offsets() };
  }
}

/** A real clock cannot be given a simulated offset: 409, saying what to do instead. */
const refusingRealClocks = async <T>(change: () => Promise<T>): Promise<T> => {
  try {
    return await change();
  } catch (error) {
    if (error instanceof RealClockNotConfigurableError) throw new ConflictException(error.message);
    throw error;
  }
};
