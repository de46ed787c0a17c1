/**
 * The HTTP edge, registered on Fastify before any route: security headers,
 * JSON-only writes, a write rate limit, CORS only where configured, and
 * compression. Each refusal happens in an onRequest hook, before a body is
 * parsed or a handler runs.
 */
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { constants as zlibConstants } from 'node:zlib';
import { SAFE_METHODS } from '../auth/access-policy';
import type { AppConfig } from '../config/environment';
import { refuseDeepJson, refuseNulInUrl } from './request-sanity';

/**
 * The console loads only its own scripts and styles (no inline script; Angular
 * adds component styles as <style> elements, hence 'unsafe-inline' for styles
 * only). Swagger UI at /docs passes the same policy: its scripts are files.
 */
export const CONTENT_SECURITY_POLICY: Readonly<Record<string, string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

const JSON_MEDIA_TYPE = 'application/json';

const mediaTypeOf = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

const hasBody = (request: FastifyRequest): boolean => {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
};

/**
 * A write carries JSON or nothing. A form or text/plain body is what a page on
 * another origin can send without a CORS preflight; refusing it here (415)
 * means no such request reaches a handler, whatever the route.
 */
export const refuseNonJsonWrites = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
  if (SAFE_METHODS.has(request.method)) return;
  const contentType = request.headers['content-type'];
  if (contentType === undefined ? !hasBody(request) : mediaTypeOf(contentType) === JSON_MEDIA_TYPE) return;
  await reply.code(415).send({
    statusCode: 415,
    error: 'Unsupported Media Type',
    message: `content-type ${contentType ?? '(none)'} is not supported; send application/json`,
  });
};

export const registerEdge = async (app: NestFastifyApplication, config: AppConfig): Promise<void> => {
  const fastify = app.getHttpAdapter().getInstance();
  // Built once: @fastify/helmet 13 builds helmet's middleware (and parses this policy) again on every request.
  const setSecurityHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // The console's Chart.js and Swagger UI need no cross-origin isolation; COEP would only break /docs.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS belongs to the TLS-terminating proxy in front (infra/nginx.conf); over plain HTTP it means nothing.
    strictTransportSecurity: false,
  });
  fastify.addHook('onRequest', (request, reply, done) =>
    setSecurityHeaders(request.raw, reply.raw, (error?: unknown) =>
      // A directive helmet rejects at request time must fail the request, not leave it without a CSP.
      error === undefined ? done() : done(error instanceof Error ? error : new Error(String(error))),
    ),
  );
  fastify.addHook('onRequest', refuseNulInUrl);
  fastify.addHook('onRequest', refuseNonJsonWrites);
  fastify.addHook('preValidation', refuseDeepJson);
  await fastify.register(rateLimit, {
    global: true,
    max: config.WRITE_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // Reads (and the live stream, which has its own caps) are not counted: the limit is on writes.
    allowList: (request) => SAFE_METHODS.has(request.method),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `more than ${context.max} writes per minute from this address; retry in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });
  if (config.CORS_ORIGINS.length > 0) {
    app.enableCors({
      origin: config.CORS_ORIGINS,
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key'],
    });
  }
  // Above 1 KiB only; the live stream writes to the raw response and is never buffered by this.
  await fastify.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip', 'deflate'],
    // Compressed per response: brotli's default quality 11 costs ~1 s on the console's main bundle; 5 costs ~10 ms.
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } },
  });
};
