import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Post,
  Query,
  ConflictException,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/environment';
import { READ_MODEL_DATA_SOURCE } from '../../reservations/application/tokens';
import {
  ServerNeverSyncsError,
  UnknownServerError,
  type BookingServerClockSet,
} from '../application/booking-server-clock-set';
import { BOOKING_SERVER_CLOCK_SET, NTP_REFERENCE_CLOCK } from '../application/clock-tokens';
import { RealClockSyncFailedError } from '../application/real-process-clock';
import type { NtpReferenceStatus } from '../ntp/ntp-reference-status';
import { isoOrNull, presentConfig, presentSync } from './clock-presenter';
import { presentNtpSource } from './reference-clock.presenter';
import { ClockHistoryEntryResponse, SyncResultResponse, TimeStatusResponse } from './clock.responses';
import { ClockHistoryQuery } from './clock-history.query';
import { queryClockHistory } from '../projections/clock-history-queries';

@ApiTags('time')
@Controller('api/time')
export class TimeController {
  constructor(
    @Inject(BOOKING_SERVER_CLOCK_SET) private readonly clocks: BookingServerClockSet,
    @Inject(NTP_REFERENCE_CLOCK) private readonly reference: { status(): NtpReferenceStatus },
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  @Get('status')
  @ApiOperation({
    summary:
      "A booking server's clock: skewed time, configured and estimated offset, error bound, sync state; and the reference clock's state (synchronized, holdover, unsynced) with its NTP sources",
  })
  @ApiQuery({ name: 'server_id', required: false, description: 'Omit for every server (an array)' })
  @ApiOkResponse({ type: TimeStatusResponse })
  @ApiNotFoundResponse({ description: 'Unknown server_id' })
  status(@Query('server_id') serverId?: string): TimeStatusResponse | TimeStatusResponse[] {
    if (serverId === undefined) return this.clocks.serverIds().map((id) => this.statusOf(id));
    return this.statusOf(serverId);
  }

  @Post('sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Force an NTP exchange of one booking server against the reference (recorded in the log)' })
  @ApiQuery({ name: 'server_id', required: true })
  @ApiOkResponse({ type: SyncResultResponse })
  @ApiNotFoundResponse({ description: 'Unknown server_id' })
  @ApiConflictResponse({ description: 'The server is configured never to sync' })
  @ApiServiceUnavailableResponse({ description: 'CLOCK_SOURCE=real and no NTP source answered usably' })
  async sync(@Query('server_id') serverId?: string): Promise<SyncResultResponse> {
    if (!serverId) throw new BadRequestException(['server_id is required, e.g. ?server_id=server-1']);
    try {
      const { sync, stepDetected } = await this.clocks.sync(serverId);
      return presentSync(sync, stepDetected);
    } catch (error) {
      if (error instanceof UnknownServerError) throw new NotFoundException(error.message);
      if (error instanceof ServerNeverSyncsError) throw new ConflictException(error.message);
      if (error instanceof RealClockSyncFailedError) throw new ServiceUnavailableException(error.message);
      throw error;
    }
  }

  @Get('history')
  @ApiOperation({ summary: 'Clock configurations and NTP syncs over time (from the log), newest last' })
  @ApiOkResponse({ type: [ClockHistoryEntryResponse] })
  @ApiNotFoundResponse({ description: 'Unknown server_id' })
  history(@Query() query: ClockHistoryQuery): Promise<ClockHistoryEntryResponse[]> {
    if (query.server_id !== undefined && !this.clocks.has(query.server_id)) {
      throw new NotFoundException(new UnknownServerError(query.server_id, this.clocks.serverIds()).message);
    }
    return queryClockHistory(this.dataSource, { serverId: query.server_id, limit: query.limit ?? 500 });
  }

  private statusOf(serverId: string): TimeStatusResponse {
    if (!this.clocks.has(serverId)) {
      throw new NotFoundException(new UnknownServerError(serverId, this.clocks.serverIds()).message);
    }
    const live = this.clocks.describe(serverId);
    const { clock } = live;
    // Synchronised means bounded: a stale sync or a server told never to sync has no bound left.
    const synchronized = live.errorBoundMs !== null;
    const intervalMs = this.config.TIME_SYNC_INTERVAL * 1000;
    return {
      server_id: serverId,
      server_time: new Date(live.serverTimeMs).toISOString(),
      server_time_ms: live.serverTimeMs,
      reference_time: new Date(live.referenceTimeMs).toISOString(),
      reference_time_ms: live.referenceTimeMs,
      true_offset_ms: live.trueOffsetMs,
      configured: presentConfig(clock),
      estimated_offset_ms: clock.sync.estimatedOffsetMs ?? null,
      error_bound_ms: live.errorBoundMs,
      is_synchronized: synchronized,
      sync_state: live.syncState,
      last_sync_at: isoOrNull(clock.lastSyncReferenceMs),
      next_sync_due: clock.config.neverSyncs
        ? null
        : new Date((clock.lastSyncReferenceMs ?? live.referenceTimeMs) + intervalMs).toISOString(),
      ntp_source: presentNtpSource(this.config.NTP_SERVER, this.reference.status()),
    };
  }
}
