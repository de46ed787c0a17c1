/**
 * One HTTP error format for the whole API: { statusCode, error, message }.
 * Unreachable stores answer 503 so clients can retry; the process keeps running.
 */
import {
  ArgumentsHost,
  NotFoundException,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { consoleFallbackApplies } from '../console/serve-console';
import { EventStoreUnavailableError } from '../event-store/event-store.port';
import { isUnavailableError as isUnavailablePgError } from '../event-store/postgres/pg-errors';

const UNAVAILABLE_PATTERNS = [
  /ECONNREFUSED/,
  /connect ENOENT/,
  /ECONNRESET/,
  /Connection terminated/i,
  /connect ETIMEDOUT/,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection is not established/i,
  /the database system is (shutting down|starting up)/i,
  /terminating connection/i,
];

const messageOf = (error: unknown): string | undefined => {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
};

/**
 * Duck-typed on purpose: a socket error raised by Node itself (e.g. ECONNREFUSED
 * from `net`) is not `instanceof Error` when the app runs inside another realm
 * (jest's sandbox), and then a database outage would surface as a 500.
 */
export const isUnavailableError = (error: unknown): boolean => {
  if (error instanceof EventStoreUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  if (isUnavailablePgError(error)) return true;
  // TypeORM's QueryFailedError keeps the pg error as driverError.
  const driverError = (error as { driverError?: unknown }).driverError;
  if (driverError !== undefined && driverError !== error && isUnavailableError(driverError)) return true;
  const message = messageOf(error);
  return message !== undefined && UNAVAILABLE_PATTERNS.some((pattern) => pattern.test(message));
};

export interface HttpErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  /** Machine-readable details some errors add (e.g. hosted_by on a 421). */
  [detail: string]: unknown;
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
    const details = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    const { statusCode: _status, error: _error, message: _message, ...extra } = details;
    return { ...extra, statusCode: status, error: reasonPhrase(status), message };
  }
  const fastifyStatus = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    return { statusCode: fastifyStatus, error: reasonPhrase(fastifyStatus), message: messageOf(error) ?? '' };
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

/** Fastify's 415 says only "Unsupported Media Type"; the client needs to know which header was wrong. */
const withRequestDetail = (body: HttpErrorBody, request: FastifyRequest | undefined): HttpErrorBody => {
  if (body.statusCode !== HttpStatus.UNSUPPORTED_MEDIA_TYPE) return body;
  const contentType = request?.headers['content-type'] ?? '(none)';
  return { ...body, message: `content-type ${contentType} is not supported; send application/json` };
};

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  /** With `serveConsoleIndex`, a GET for an unknown non-API path gets the web console (client-side routes). */
  constructor(private readonly options: { serveConsoleIndex?: boolean } = {}) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    if (
      this.options.serveConsoleIndex &&
      exception instanceof NotFoundException &&
      consoleFallbackApplies(request.method, request.url)
    ) {
      void (reply as FastifyReply & { sendFile(file: string): FastifyReply }).sendFile('index.html');
      return;
    }
    const body = withRequestDetail(toHttpError(exception), request);
    if (body.statusCode >= 500) {
      const stack = (exception as { stack?: unknown } | null)?.stack;
      this.logger.error(typeof stack === 'string' ? stack : (messageOf(exception) ?? String(exception)));
    }
    void reply.status(body.statusCode).send(body);
  }
}
