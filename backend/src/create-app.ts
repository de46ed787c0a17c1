/** Builds the HTTP application; shared by main.ts and the e2e tests. */
import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { AppConfig } from './config/environment';
import { serveConsole } from './console/serve-console';
import { HttpErrorFilter } from './http/http-error.filter';
import { join, resolve } from 'node:path';
import { documentAccessPolicy } from './auth/openapi-security';
import { registerEdge } from './http/edge';
import { recordRoutes } from './http/route-registry';

/** 16 KiB: a reservation is a few dozen bytes; anything bigger is a mistake or abuse. */
export const BODY_LIMIT_BYTES = 16 * 1024;

const flattenValidationErrors = (errors: ValidationError[], parent = ''): string[] =>
  errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints
      ? Object.entries(error.constraints).map(([kind, message]) =>
          kind === 'whitelistValidation' ? `${path} is not an accepted field` : message,
        )
      : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });

export const createApp = async (
  config: AppConfig,
  options: { bufferLogs?: boolean } = {},
): Promise<NestFastifyApplication> => {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    // forceCloseConnections: an open live stream (every console keeps one) must not hold a shutdown forever.
    new FastifyAdapter({
      bodyLimit: BODY_LIMIT_BYTES,
      forceCloseConnections: true,
      // request.ip (the limits' key) is the client's only through the proxies named here.
      trustProxy: config.TRUST_PROXY,
    }),
    { bufferLogs: options.bufferLogs ?? true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  recordRoutes(app);
  await registerEdge(app, config);
  // The API speaks JSON only. Fastify parses text/plain by default, which would turn a
  // mislabelled body into a confusing validation error; without the parser it is a 415.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  // A relative CONSOLE_DIR is read against the working directory (as PGLITE_DATA_DIR is).
  const consoleDirectory = await serveConsole(app, resolve(config.CONSOLE_DIR ?? join(__dirname, '..', 'frontend')));
  app.useGlobalFilters(new HttpErrorFilter({ serveConsoleIndex: consoleDirectory !== null }));
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) => new BadRequestException(flattenValidationErrors(errors)),
    }),
  );
  app.enableShutdownHooks();
  const document = documentAccessPolicy(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('NTP Reservation Lab')
        .setDescription(
          'What clock skew between booking servers does to first come, first served — and how NTP fixes it.',
        )
        .setVersion('0.1.0')
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
};
