import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LabSessions } from '../application/lab-sessions';
import type { ReferenceTime } from '../application/reference-time';
import { REFERENCE_CLOCK } from '../application/tokens';
import { LabResetResponse, LabSessionListResponse } from './lab.responses';

const iso = (ms: number): string => new Date(ms).toISOString();

@ApiTags('lab')
@Controller('api/lab')
export class LabController {
  constructor(
    private readonly sessions: LabSessions,
    @Inject(REFERENCE_CLOCK) private readonly clock: ReferenceTime,
  ) {}

  @Post('reset')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start a new session of the experiment: every seat is free; the ended session stays in the log',
    description:
      'The ended session is read like a run: run_id=session-<n> on /api/stats, /api/conflicts, /api/seats/{id}/timeline. ' +
      'Clocks are not touched. A seat still open at the reset stays unsettled in the ended session.',
  })
  @ApiOkResponse({ type: LabResetResponse })
  @ApiConflictResponse({ description: 'Another reset happened at the same moment' })
  async reset(): Promise<LabResetResponse> {
    const result = await this.sessions.reset();
    return {
      session_id: result.sessionId,
      previous_session_id: result.previousSessionId,
      started_at: iso(result.startedAtMs),
    };
  }

  @Get('sessions')
  @ApiOperation({ summary: 'Every session of the experiment, oldest first; the last one is current' })
  @ApiOkResponse({ type: LabSessionListResponse })
  async list(): Promise<LabSessionListResponse> {
    const sessions = await this.sessions.list();
    return {
      items: sessions.map((session) => ({
        session_id: session.sessionId,
        started_at: iso(session.startedAtMs ?? session.endedAtMs ?? this.clock.nowMs()),
        ended_at: session.endedAtMs === null ? null : iso(session.endedAtMs),
        attempts: session.attempts,
        seats_taken: session.seatsTaken,
      })),
    };
  }
}
