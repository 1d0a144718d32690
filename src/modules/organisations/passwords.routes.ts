import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import {
  changeOwnPassword,
  inspectLink,
  requestPasswordReset,
  setPasswordWithLink,
} from './account-links.service.ts';
import { requireSession, signedIn } from './auth.hooks.ts';
import {
  AcceptedResponse,
  ChangePasswordBody,
  LinkBody,
  LinkResponse,
  PasswordResetBody,
  SetPasswordBody,
} from './auth.schema.ts';

const errors = errorResponses(400, 401, 429);

/** Forgotten passwords, first-time set-up links and changing one's own password. */
export const passwordRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const rateLimit = { max: services.auth.loginRatePerMinute, timeWindow: '1 minute' };

  app.post(
    '/api/v1/auth/password-reset',
    {
      config: { access: 'public', rateLimit },
      schema: {
        summary:
          'E-mail a one-time password reset link (same answer whether or not the address has an account)',
        tags: ['auth'],
        body: PasswordResetBody,
        response: { 202: AcceptedResponse, ...errors },
      },
    },
    async (request, reply) => {
      // Not awaited: the per-address work happens after the answer (see requestPasswordReset).
      requestPasswordReset(services, request.body.email, request.id);
      return reply.status(202).send({
        message: 'If that address has a Haven account, we have sent it a link to choose a new password.',
      });
    },
  );

  app.post(
    '/api/v1/auth/account-link',
    {
      config: { access: 'public', rateLimit },
      schema: {
        summary: 'Check a one-time link before asking for a password',
        tags: ['auth'],
        body: LinkBody,
        response: { 200: LinkResponse, ...errors },
      },
    },
    async (request) => {
      const link = await inspectLink(services, request.body.token);
      return { purpose: link.purpose, expiresAt: link.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/auth/account-link/password',
    {
      config: { access: 'public', rateLimit },
      schema: {
        summary: 'Set a password through a one-time link; ends every session of the account',
        tags: ['auth'],
        body: SetPasswordBody,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await setPasswordWithLink(services, request.body, request.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { access: 'session', rateLimit },
      onRequest: requireSession(services),
      schema: {
        summary: 'Change my password; my other sessions end',
        tags: ['auth'],
        body: ChangePasswordBody,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await changeOwnPassword(services, signedIn(request), request.body, request.id);
      return reply.status(204).send(null);
    },
  );
};
