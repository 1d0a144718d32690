import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSession, signedIn } from './auth.hooks.ts';
import { EnrolmentResponse, RecoveryCodesResponse, TwoFactorChangeBody } from './auth.schema.ts';
import { confirmEnrolment, disableTwoFactor, startEnrolment } from './two-factor.service.ts';

const errors = errorResponses(400, 401, 403, 409, 429);

/**
 * Attempts per session on these routes, together: they take a password, so a stolen session must not be
 * a way to guess it quickly. Per session rather than per client address, so colleagues behind one
 * school's address do not slow each other down.
 */
export const TWO_FACTOR_ATTEMPTS = { max: 10, timeWindow: '15 minutes' };

/** TOTP enrolment (with recovery codes) and removal for the signed-in user. */
export const twoFactorRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const session = requireSession(services);
  // One limiter (one count) shared by the three routes; a preHandler, so the session hook has run.
  const attempts = app.rateLimit({
    ...TWO_FACTOR_ATTEMPTS,
    keyGenerator: (request) => `session:${request.signedIn?.sessionId ?? request.ip}`,
  });
  const config = { access: 'session' as const };

  app.post(
    '/api/v1/auth/two-factor/setup',
    {
      config,
      onRequest: session,
      preHandler: attempts,
      schema: {
        summary: 'Start two-factor set-up: a new secret for an authenticator app',
        tags: ['auth'],
        response: { 200: EnrolmentResponse, ...errors },
      },
    },
    async (request) => startEnrolment(services, signedIn(request)),
  );

  app.post(
    '/api/v1/auth/two-factor/confirm',
    {
      config,
      onRequest: session,
      preHandler: attempts,
      schema: {
        summary:
          'Finish set-up with a code from the app and the current password; returns recovery codes once and ends your other sessions',
        tags: ['auth'],
        body: TwoFactorChangeBody,
        response: { 200: RecoveryCodesResponse, ...errors },
      },
    },
    async (request) => ({
      recoveryCodes: await confirmEnrolment(services, signedIn(request), request.body, request.id),
    }),
  );

  app.post(
    '/api/v1/auth/two-factor/disable',
    {
      config,
      onRequest: session,
      preHandler: attempts,
      schema: {
        summary:
          'Turn two-factor sign-in off (needs a current code and the current password); ends your other sessions',
        tags: ['auth'],
        body: TwoFactorChangeBody,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await disableTwoFactor(services, signedIn(request), request.body, request.id);
      return reply.status(204).send(null);
    },
  );
};
