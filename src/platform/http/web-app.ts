import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Type } from 'typebox';

export const WEB_DIST = path.resolve(import.meta.dirname, '..', '..', '..', 'web', 'dist');

const NOT_BUILT =
  'The web app has not been built. `./haven start` builds it; the API is available under /api/.';
const YEAR = 'public, max-age=31536000, immutable';

/**
 * Serves the React app from web/dist: hashed assets with a year-long cache, and index.html (never cached,
 * so a new release is picked up) for every other page address, where the app's router takes over.
 * Addresses under /api/ never fall through to the page: an unknown API route is a JSON 404.
 */
export const webAppRoutes: FastifyPluginAsyncTypebox<{ root?: string }> = async (app, options) => {
  const root = options.root ?? WEB_DIST;
  // Cache headers are set per route below (fastify-static's own would override them).
  await app.register(fastifyStatic, { root, serve: false, cacheControl: false });

  app.get(
    '/assets/*',
    { config: { access: 'public' }, schema: { hide: true, params: Type.Object({ '*': Type.String() }) } },
    (request, reply) =>
      reply.header('cache-control', YEAR).sendFile(request.params['*'], path.join(root, 'assets')),
  );
  app.get('/favicon.svg', { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').sendFile('favicon.svg', root),
  );
  // The school's data access request page (the OAuth consent page) lives under the OAuth server's path,
  // where oidc-provider's interaction cookie is sent; the app's router shows it.
  app.get(
    '/oauth/interaction/:uid',
    { config: { access: 'public' }, schema: { hide: true } },
    (_request, reply) =>
      existsSync(path.join(root, 'index.html'))
        ? reply.header('cache-control', 'no-cache').sendFile('index.html', root)
        : reply.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT),
  );
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply.status(404).send({
        status: 404,
        code: 'not_found',
        message: 'There is no API route at this address.',
        requestId: request.id,
      });
    }
    if (!existsSync(path.join(root, 'index.html'))) {
      return reply.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
  });
};
