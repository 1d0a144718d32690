import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSession, signedIn } from './auth.hooks.ts';
import { CodeBody, EnrolmentResponse, RecoveryCodesResponse } from './auth.schema.ts';
import { confirmEnrolment, disableTwoFactor, startEnrolment } from './two-factor.service.ts';

const errors = errorResponses(400, 401, 403, 409);

/** TOTP enrolment (with recovery codes) and removal for the signed-in user. */
export const twoFactorRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const session = requireSession(services);

  app.post(
    '/api/v1/auth/two-factor/setup',
    {
      config: { access: 'session' },
      onRequest: session,
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
      config: { access: 'session' },
      onRequest: session,
      schema: {
        summary: 'Finish set-up with a code from the app; returns recovery codes once',
        tags: ['auth'],
        body: CodeBody,
        response: { 200: RecoveryCodesResponse, ...errors },
      },
    },
    async (request) => ({
      recoveryCodes: await confirmEnrolment(services, signedIn(request), request.body.code, request.id),
    }),
  );

  app.post(
    '/api/v1/auth/two-factor/disable',
    {
      config: { access: 'session' },
      onRequest: session,
      schema: {
        summary: 'Turn two-factor sign-in off (needs a current code)',
        tags: ['auth'],
        body: CodeBody,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await disableTwoFactor(services, signedIn(request), request.body.code, request.id);
      return reply.status(204).send(null);
    },
  );
};
