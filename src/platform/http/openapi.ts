import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * Publishes the OpenAPI document generated from the route schemas, and browsable docs. `appScopes` are the
 * OAuth scopes of the app data API (each operation names the one it needs).
 */
export async function registerOpenApi(
  app: FastifyInstance,
  version: string,
  appScopes: Record<string, string> = {},
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Haven API',
        version,
        description:
          'Staff API (session cookie) under /api/v1, app data API (bearer token) under /api/apps/v1. ' +
          'Staff API errors have the shape { status, code, message, fields?, requestId }; app API errors ' +
          '{ error, message }.',
      },
      components: {
        securitySchemes: {
          oauth2: {
            type: 'oauth2',
            description: 'A school approves an app; PKCE (S256) is required. See docs/app-developers.md.',
            flows: {
              authorizationCode: {
                authorizationUrl: '/oauth/auth',
                tokenUrl: '/oauth/token',
                scopes: appScopes,
              },
              clientCredentials: { tokenUrl: '/oauth/token', scopes: {} },
            },
          },
          connectorToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A school connector’s token (shown once when the connector is set up): for on-premise upload agents.',
          },
        },
      },
      tags: [{ name: 'operations', description: 'Liveness and readiness for load balancers and operators' }],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // The docs' own policy allows framing by the same origin; no page of Haven may be framed (security.md).
    transformStaticCSP: (header) => header.replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
