import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConflictQueries } from '../application/conflict-queries';
import { ConflictListResponse, ConflictResponse, StatsResponse } from './conflict.responses';
import { ListConflictsQuery } from './list-conflicts.query';

@ApiTags('conflicts')
@Controller('api')
export class ConflictsController {
  constructor(private readonly queries: ConflictQueries) {}

  @Get('conflicts')
  @ApiOperation({ summary: 'Conflicts (contention, inversion, ambiguous) with their witnesses, newest first' })
  @ApiOkResponse({ type: ConflictListResponse })
  list(@Query() query: ListConflictsQuery): Promise<ConflictListResponse> {
    return this.queries.listConflicts({
      kind: query.kind,
      seatId: query.seat_id,
      serverId: query.server_id,
      runId: query.run_id,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
    });
  }

  @Get('conflicts/:id')
  @ApiOkResponse({ type: ConflictResponse })
  @ApiNotFoundResponse()
  async get(@Param('id') id: string): Promise<ConflictResponse> {
    const conflict = await this.queries.getConflict(id);
    if (!conflict) throw new NotFoundException(`conflict ${id} not found`);
    return conflict;
  }

  @Get('stats')
  @ApiOperation({
    summary: 'Attempts, conflicts by kind, and how often each ordering strategy picks the truly first customer',
  })
  @ApiOkResponse({ type: StatsResponse })
  stats(@Query('run_id') runId?: string): Promise<StatsResponse> {
    return this.queries.stats(runId ?? '');
  }
}
