/**
 * Applies ACCESS_POLICY to every Nest route: an `operator` route needs a valid
 * bearer token carrying the operator role (401 without one or with a bad one,
 * 403 for a valid token of another role). Runs before pipes and handlers, so a
 * refused request changes nothing.
 */
import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessFor } from './access-policy';
import { OPERATOR_ROLE, OperatorAuth } from './operator-auth.service';

const BEARER = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;

@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(private readonly auth: OperatorAuth) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (accessFor(request.method, request.routeOptions.url ?? request.url) === 'open') return true;
    const reply = http.getResponse<FastifyReply>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (token === undefined) {
      void reply.header('www-authenticate', 'Bearer realm="ntp-lab"');
      throw new UnauthorizedException('this changes the experiment: sign in as the operator (POST /api/auth/token)');
    }
    try {
      const claims = await this.auth.verify(token);
      if (claims.role !== OPERATOR_ROLE) throw new ForbiddenException('this token does not carry the operator role');
      return true;
    } catch (error) {
      if (error instanceof UnauthorizedException) {
        void reply.header('www-authenticate', 'Bearer realm="ntp-lab", error="invalid_token"');
      }
      throw error;
    }
  }
}
