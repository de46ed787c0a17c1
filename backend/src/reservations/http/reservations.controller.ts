import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Headers,
  HttpException,
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
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { APP_CONFIG } from '../../config/config.tokens';
import { ClusterNodes } from '../../cluster/cluster-nodes';
import type { AppConfig } from '../../config/environment';
import type { EventStore } from '../../event-store/event-store.port';
import type { ProjectionRunner } from '../../read-model/projection-runner';
import { AttemptReservationCommand, type AttemptReservationResult } from '../application/attempt-reservation.command';
import { IdempotencyKeyReusedError } from '../application/attempt-reservation.handler';
import { ReservationQueries } from '../application/reservation-queries';
import { loadAttempt } from '../application/seat-repository';
import { BOOKING_SERVER_CLOCKS, EVENT_STORE, PROJECTION_RUNNER } from '../application/tokens';
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
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly nodes: ClusterNodes,
  ) {}

  /**
   * A booking server makes its own reservations: one hosted by another node
   * is refused (421), naming the nodes that host it, rather than forwarded,
   * so the client sees which server's clock will stamp its attempt.
   */
  private async refuseNotHosted(serverId: string): Promise<never> {
    const hosts = await this.nodes.hostsOf(serverId).catch(() => []);
    const named = hosts.map((node) => `"${node.node_name}"${node.node_url ? ` at ${node.node_url}` : ''}`);
    throw new HttpException(
      {
        message: [
          `${serverId} is not hosted by node "${this.nodes.settings.nodeName}"; ` +
            (named.length > 0 ? `send it to ${named.join(' or ')}` : 'no running node hosts it now'),
        ],
        hosted_by: hosts.map((node) => ({ node: node.node_name, url: node.node_url })),
      },
      421,
    );
  }

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
  @ApiHeader({
    name: 'Prefer',
    required: false,
    description:
      'read-your-writes: answer only once the attempt is in the read model (at most 1 s; then Preference-Applied: read-your-writes), so a list fetched next includes it. Without it the answer comes from the command at once (outcome pending); GET /api/reservations/{id} finds the attempt either way.',
  })
  @ApiCreatedResponse({ type: ReservationResponse })
  @ApiBadRequestResponse({ description: 'A field is missing, malformed, out of range or unknown; nothing is appended' })
  @ApiConflictResponse({
    description: 'The Idempotency-Key was used before for another reservation; nothing is appended',
  })
  @ApiServiceUnavailableResponse({ description: 'The event store is unreachable; nothing is appended' })
  @ApiResponse({
    status: 421,
    description: 'Cluster mode: the booking server is hosted by another node (named in hosted_by); nothing is appended',
  })
  async create(
    @Body() body: CreateReservationDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('prefer') prefer: string | undefined,
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
    if (!this.nodes.settings.hosted.includes(body.server_id)) await this.refuseNotHosted(body.server_id);
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
    // The answer is the command's result: the read model is not on the write path unless asked for.
    if (!result.replayed && !prefersReadYourWrites(prefer)) return reservationResponseOf(result);
    // Read-your-writes: woken by the projection's commit that holds the attempt (at most 1 s).
    if (!result.replayed && (await this.runner.waitForPosition(result.position, 1000))) {
      void reply.header('Preference-Applied', READ_YOUR_WRITES);
    }
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
    const reservation = (await this.queries.getReservation(id)) ?? (await this.recordedNotProjected(id));
    if (!reservation) throw new NotFoundException(`reservation ${id} not found`);
    return reservation;
  }

  /** An attempt just appended that the projection has not reached yet: answered from its stream, outcome pending. */
  private async recordedNotProjected(id: string): Promise<ReservationResponse | null> {
    const { state, position } = await loadAttempt(this.store, id);
    return state.recorded && position !== null
      ? reservationResponseOf({ attempt: state.recorded, position, replayed: false })
      : null;
  }
}

const READ_YOUR_WRITES = 'read-your-writes';

/** `Prefer: read-your-writes` (RFC 7240 style): the answer waits until the attempt is in the read model. */
const prefersReadYourWrites = (prefer: string | undefined): boolean =>
  prefer !== undefined &&
  prefer
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .includes(READ_YOUR_WRITES);

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
