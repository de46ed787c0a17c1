/**
 * Serves the built web console (dist/frontend) from the API's own port, so
 * one process gives the whole lab. Client routes fall back to index.html;
 * the API, /health and /docs keep their own answers (a JSON 404 included).
 */
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const API_PREFIXES = ['/api', '/health', '/docs'];

export const isApiPath = (url: string): boolean =>
  API_PREFIXES.some(
    (prefix) =>
      url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`) || url.startsWith(`${prefix}-`),
  );

/** Angular's build names every bundle after its content (`main-3KX7Q2ZB.js`): such a file never changes. */
const HASHED_ASSET = /-[A-Z0-9]{8}\.(?:js|css|mjs|woff2?|ttf|svg|png|jpg|webp|map)$/;

/** Hashed assets are cached for a year; everything else (index.html first) is revalidated on each load. */
export const cacheControlFor = (path: string): string =>
  HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';

/** Registers the console if it was built; returns where it was found, or null. */
export const serveConsole = async (app: NestFastifyApplication, directory: string): Promise<string | null> => {
  if (!existsSync(join(directory, 'index.html'))) return null;
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(fastifyStatic, {
    root: directory,
    wildcard: false,
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (reply, path) => void reply.header('cache-control', cacheControlFor(path)),
  });
  return directory;
};

/** For a GET that matched nothing: the console's index.html, so deep links work. */
export const consoleFallbackApplies = (method: string, url: string): boolean => method === 'GET' && !isApiPath(url);
