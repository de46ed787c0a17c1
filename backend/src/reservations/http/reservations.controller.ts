import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/environment';
import type { ProjectionRunner } from '../../read-model/projection-runner';
import { AttemptReservationCommand } from '../application/attempt-reservation.command';
import { ReservationQueries } from '../application/reservation-queries';
import { BOOKING_SERVER_CLOCKS, PROJECTION_RUNNER } from '../application/tokens';
import type { BookingServerClocks } from '../domain/clock-reading';
import { CreateReservationDto } from './create-reservation.dto';
import { ListReservationsQuery } from './list-reservations.query';
import { ReservationListResponse, ReservationResponse } from './reservation.responses';

@ApiTags('reservations')
@Controller('api/reservations')
export class ReservationsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: ReservationQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BOOKING_SERVER_CLOCKS) private readonly clocks: BookingServerClocks,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Attempt a reservation through one booking server',
    description:
      "The booking server answers at once from its own view (status confirmed/rejected). The authoritative outcome comes when the seat's conflict window has passed; follow it by id.",
  })
  @ApiCreatedResponse({ type: ReservationResponse })
  @ApiBadRequestResponse({ description: 'A field is missing, malformed, out of range or unknown; nothing is appended' })
  @ApiServiceUnavailableResponse({ description: 'The event store is unreachable; nothing is appended' })
  async create(@Body() body: CreateReservationDto): Promise<ReservationResponse> {
    if (body.seat_id > this.config.MAX_SEATS) {
      throw new BadRequestException([`seat_id must be between 1 and ${this.config.MAX_SEATS}`]);
    }
    if (!this.clocks.has(body.server_id)) {
      throw new BadRequestException([
        `server_id "${body.server_id}" is not a booking server; known: ${this.clocks.serverIds().join(', ')}`,
      ]);
    }
    const result = await this.commandBus.execute(
      new AttemptReservationCommand(body.seat_id, body.customer_name, body.server_id),
    );
    // Read-your-writes: a client that lists reservations right after this sees its attempt.
    await this.runner.waitForPosition(result.position, 1000);
    const projected = await this.queries.getReservation(result.attemptId).catch(() => null);
    return (
      projected ?? {
        id: result.attemptId,
        seat_id: result.seatId,
        customer_name: result.customerName,
        server_id: result.serverId,
        status: result.localDecision,
        outcome: 'pending',
        outcome_reason: null,
        server_time: new Date(result.serverTimeMs).toISOString(),
        reference_time: new Date(result.referenceTimeMs).toISOString(),
        ntp_corrected_time: new Date(result.ntpCorrectedTimeMs).toISOString(),
        error_bound_ms: result.errorBoundMs,
        log_position: result.position.toString(),
        created_at: new Date(result.serverTimeMs).toISOString(),
      }
    );
  }

  @Get()
  @ApiOperation({ summary: 'Reservation attempts, newest first' })
  @ApiOkResponse({ type: ReservationListResponse })
  list(@Query() query: ListReservationsQuery): Promise<ReservationListResponse> {
    return this.queries.listReservations({
      seatId: query.seat_id,
      serverId: query.server_id,
      outcome: query.outcome,
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One attempt and its outcome' })
  @ApiOkResponse({ type: ReservationResponse })
  @ApiNotFoundResponse()
  async get(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(['id must be a UUID']) }))
    id: string,
  ): Promise<ReservationResponse> {
    const reservation = await this.queries.getReservation(id);
    if (!reservation) throw new NotFoundException(`reservation ${id} not found`);
    return reservation;
  }
}
