import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/environment';
import { ConflictQueries } from '../application/conflict-queries';
import { ReservationQueries } from '../application/reservation-queries';
import { SeatTimelineResponse } from './conflict.responses';
import { SeatResponse } from './reservation.responses';

@ApiTags('seats')
@Controller('api/seats')
export class SeatsController {
  constructor(
    private readonly queries: ReservationQueries,
    private readonly conflicts: ConflictQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'All seats 1..MAX_SEATS' })
  @ApiOkResponse({ type: [SeatResponse] })
  list(): Promise<SeatResponse[]> {
    return this.queries.listSeats();
  }

  @Get(':id')
  @ApiOkResponse({ type: SeatResponse })
  @ApiNotFoundResponse({ description: 'No such seat' })
  get(@Param('id') id: string): Promise<SeatResponse> {
    return this.queries.getSeat(this.parseSeatId(id));
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: 'Every attempt on the seat with all its stamps, ordered under each strategy' })
  @ApiOkResponse({ type: SeatTimelineResponse })
  @ApiQuery({ name: 'run_id', required: false, description: 'Scenario run id; omitted = the live lab' })
  @ApiNotFoundResponse({ description: 'No such seat' })
  timeline(@Param('id') id: string, @Query('run_id') runId?: string): Promise<SeatTimelineResponse> {
    // A seeded run has its own seat count, so MAX_SEATS bounds the live lab only.
    if (!runId) return this.conflicts.timeline(this.parseSeatId(id));
    return this.conflicts.timeline(this.parseSeatId(id, Number.MAX_SAFE_INTEGER), runId);
  }

  private parseSeatId(raw: string, maxSeat = this.config.MAX_SEATS): number {
    if (!/^\d+$/.test(raw)) throw new BadRequestException(['seat id must be a positive integer']);
    const seatId = Number(raw);
    if (seatId < 1 || seatId > maxSeat) {
      throw new NotFoundException(`seat ${raw} does not exist (seats are 1..${maxSeat})`);
    }
    return seatId;
  }
}
