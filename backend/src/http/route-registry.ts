/**
 * Every route Fastify registers (Nest's controllers, Swagger's, the console's),
 * recorded as it is added: the access-policy test reads this list, so a new
 * write route cannot escape the policy table unnoticed.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface RegisteredRoute {
  readonly method: string;
  readonly path: string;
}

const routesByApp = new WeakMap<object, RegisteredRoute[]>();

export const recordRoutes = (app: NestFastifyApplication): void => {
  const fastify = app.getHttpAdapter().getInstance();
  const routes: RegisteredRoute[] = [];
  routesByApp.set(fastify, routes);
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method: method.toUpperCase(), path: route.url });
  });
};

export const registeredRoutes = (app: NestFastifyApplication): readonly RegisteredRoute[] =>
  routesByApp.get(app.getHttpAdapter().getInstance()) ?? [];
