import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OperatorAuth, TooManySignInsException } from '../operator-auth.service';
import { TokenRequestDto, TokenResponseDto } from './token.dto';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: OperatorAuth) {}

  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange the operator credentials for a bearer token',
    description: 'Changing the experiment (clocks, scenarios, syncs, replays, runs, reset) needs this token.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse({ description: 'Missing or malformed fields' })
  @ApiUnauthorizedResponse({ description: 'Wrong user name or password' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong passwords from this address; see Retry-After' })
  async issueToken(
    @Body() body: TokenRequestDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    void reply.header('cache-control', 'no-store');
    try {
      return await this.auth.issueToken(body.username, body.password, request.ip);
    } catch (error) {
      if (error instanceof TooManySignInsException) void reply.header('retry-after', String(error.retryAfterS));
      throw error;
    }
  }
}
