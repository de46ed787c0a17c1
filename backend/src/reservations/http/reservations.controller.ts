import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/environment';
import type { ProjectionRunner } from '../../read-model/projection-runner';
import { AttemptReservationCommand, type AttemptReservationResult } from '../application/attempt-reservation.command';
import { IdempotencyKeyReusedError } from '../application/attempt-reservation.handler';
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
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Any string up to 200 characters. A retried POST with the same key records nothing new and answers with the first attempt (header Idempotent-Replayed: true).',
  })
  @ApiCreatedResponse({ type: ReservationResponse })
  @ApiBadRequestResponse({ description: 'A field is missing, malformed, out of range or unknown; nothing is appended' })
  @ApiConflictResponse({
    description: 'The Idempotency-Key was used before for another reservation; nothing is appended',
  })
  @ApiServiceUnavailableResponse({ description: 'The event store is unreachable; nothing is appended' })
  async create(
    @Body() body: CreateReservationDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReservationResponse> {
    if (body.seat_id > this.config.MAX_SEATS) {
      throw new BadRequestException([`seat_id must be between 1 and ${this.config.MAX_SEATS}`]);
    }
    if (!this.clocks.has(body.server_id)) {
      throw new BadRequestException([
        `server_id "${body.server_id}" is not a booking server; known: ${this.clocks.serverIds().join(', ')}`,
      ]);
    }
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 200)) {
      throw new BadRequestException(['Idempotency-Key must be 1 to 200 characters']);
    }
    let result: AttemptReservationResult;
    try {
      result = await this.commandBus.execute(
        new AttemptReservationCommand(body.seat_id, body.customer_name, body.server_id, null, idempotencyKey ?? null),
      );
    } catch (error) {
      if (error instanceof IdempotencyKeyReusedError) throw new ConflictException(error.message);
      throw error;
    }
    if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
    // Read-your-writes: a client that lists reservations right after this sees its attempt.
    await this.runner.waitForPosition(result.position, 1000);
    const projected = await this.queries.getReservation(result.attempt.attemptId).catch(() => null);
    return projected ?? reservationResponseOf(result);
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

/** The answer before the read model holds the attempt: straight from what was recorded. */
const reservationResponseOf = ({ attempt, position }: AttemptReservationResult): ReservationResponse => ({
  id: attempt.attemptId,
  seat_id: attempt.seatId,
  customer_name: attempt.customerName,
  server_id: attempt.clock.serverId,
  status: attempt.localDecision,
  outcome: 'pending',
  outcome_reason: null,
  server_time: new Date(attempt.clock.serverTimeMs).toISOString(),
  reference_time: new Date(attempt.clock.referenceTimeMs).toISOString(),
  ntp_corrected_time: new Date(attempt.clock.ntpCorrectedTimeMs).toISOString(),
  error_bound_ms: attempt.clock.errorBoundMs,
  log_position: position.toString(),
  created_at: new Date(attempt.clock.serverTimeMs).toISOString(),
});
