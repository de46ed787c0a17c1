/**
 * One HTTP error format for the whole API: { statusCode, error, message }.
 * Unreachable stores answer 503 so clients can retry; the process keeps running.
 */
import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EventStoreUnavailableError } from '../event-store/event-store.port';

const UNAVAILABLE_PATTERNS = [
  /ECONNREFUSED/,
  /ECONNRESET/,
  /Connection terminated/i,
  /connect ETIMEDOUT/,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection is not established/i,
  /the database system is (shutting down|starting up)/i,
  /terminating connection/i,
];

export const isUnavailableError = (error: unknown): boolean => {
  if (error instanceof EventStoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || code === '57P01' || code === '57P03')) return true;
  return UNAVAILABLE_PATTERNS.some((pattern) => pattern.test(error.message));
};

export interface HttpErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

const reasonPhrase = (status: number): string =>
  (HttpStatus[status] ?? 'Error')
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');

export const toHttpError = (error: unknown): HttpErrorBody => {
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? (response as { message: string | string[] }).message
        : error.message;
    return { statusCode: status, error: reasonPhrase(status), message };
  }
  const fastifyStatus = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    return { statusCode: fastifyStatus, error: reasonPhrase(fastifyStatus), message: (error as Error).message };
  }
  if (isUnavailableError(error)) {
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      message: 'The event store or the read-model database is unreachable; retry shortly.',
    };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'Unexpected error; see the server log.' };
};

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = toHttpError(exception);
    if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    void reply.status(body.statusCode).send(body);
  }
}
