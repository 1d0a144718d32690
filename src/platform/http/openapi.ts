import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** Publishes the OpenAPI document generated from the route schemas, and browsable docs. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Haven API',
        version,
        description:
          'Staff API (session cookie) under /api/v1, app data API (bearer token) under /api/apps/v1. ' +
          'Every error has the shape { status, code, message, fields?, requestId }.',
      },
      tags: [{ name: 'operations', description: 'Liveness and readiness for load balancers and operators' }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
