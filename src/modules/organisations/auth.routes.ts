import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSession, SESSION_COOKIE, sessionCookieOptions, signedIn } from './auth.hooks.ts';
import { LoginBody, LoginResponse, MeResponse, SessionParams, SessionsResponse } from './auth.schema.ts';
import { describeMe, listSessions, revokeOwnSession, signIn, signOut } from './auth.service.ts';

const errors = errorResponses(400, 401, 403, 404, 429);

/** Sign-in, sign-out, the signed-in user and their sessions. */
export const authRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const session = requireSession(services);

  app.post(
    '/api/v1/auth/login',
    {
      config: {
        access: 'public',
        rateLimit: { max: services.auth.loginRatePerMinute, timeWindow: '1 minute' },
      },
      schema: {
        summary: 'Sign in with e-mail and password',
        tags: ['auth'],
        body: LoginBody,
        response: { 200: LoginResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await signIn(services, request.body, request.id);
      void reply.setCookie(
        SESSION_COOKIE,
        result.token,
        sessionCookieOptions(services.auth, result.expiresAt),
      );
      return { userId: result.userId, expiresAt: result.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'session' },
      onRequest: session,
      schema: { summary: 'Sign out', tags: ['auth'], response: { 204: { type: 'null' }, ...errors } },
    },
    async (request, reply) => {
      await signOut(services, signedIn(request), request.id);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { access: 'session' },
      onRequest: session,
      schema: {
        summary: 'The signed-in user and their roles',
        tags: ['auth'],
        response: { 200: MeResponse, ...errors },
      },
    },
    async (request) => describeMe(services, signedIn(request)),
  );

  app.get(
    '/api/v1/auth/sessions',
    {
      config: { access: 'session' },
      onRequest: session,
      schema: {
        summary: 'My active sessions',
        tags: ['auth'],
        response: { 200: SessionsResponse, ...errors },
      },
    },
    async (request) =>
      (await listSessions(services, signedIn(request))).map((entry) => ({
        ...entry,
        createdAt: entry.createdAt.toISOString(),
        lastSeenAt: entry.lastSeenAt.toISOString(),
        expiresAt: entry.expiresAt.toISOString(),
      })),
  );

  app.delete(
    '/api/v1/auth/sessions/:sessionId',
    {
      config: { access: 'session' },
      onRequest: session,
      schema: {
        summary: 'End one of my sessions',
        tags: ['auth'],
        params: SessionParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await revokeOwnSession(services, signedIn(request), request.params.sessionId, request.id);
      return reply.status(204).send(null);
    },
  );
};
