import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Actor } from '../../platform/audit/audit-log.ts';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requirePlatformPermission, signedIn } from '../organisations/auth.hooks.ts';
import {
  eraseContact,
  listContacts,
  listSuppressions,
  suppressAddress,
  withdrawConsent,
} from './marketing-operator.service.ts';
import {
  ConsentParams,
  ContactBody,
  ContactParams,
  ContactView,
  FormParams,
  FormWording,
  MessageResponse,
  SuppressionBody,
  SuppressionView,
  UnsubscribeBody,
  UnsubscribeQuery,
  UnsubscribeResult,
  UnsubscribeView,
} from './marketing.schema.ts';
import { describeUnsubscribe, formWording, recordContact, unsubscribe } from './marketing.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 429);

const operatorOf = (request: Parameters<typeof signedIn>[0]): Actor => ({
  type: 'user',
  id: signedIn(request).userId,
});

/**
 * The operator's own marketing contacts: public forms with consent per purpose, unsubscribe links, and
 * the operator's list, withdrawals, erasures and suppression list. Unsubscribe routes log at warn only,
 * so the token in a GET's address never lands in an access log.
 */
export const marketingRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const rateLimit = { max: services.auth.loginRatePerMinute, timeWindow: '1 minute' };

  app.get(
    '/api/v1/marketing/forms/:form',
    {
      config: { access: 'public' },
      schema: {
        summary: 'A public form’s consent wording (show it beside unticked boxes; send its versions back)',
        tags: ['marketing'],
        params: FormParams,
        response: { 200: FormWording, ...errors },
      },
    },
    async (request) => formWording(request.params.form),
  );

  app.post(
    '/api/v1/marketing/contacts',
    {
      config: { access: 'public', rateLimit },
      schema: {
        summary: 'Ask to hear from Haven: consent per ticked purpose, with the wording version shown',
        tags: ['marketing'],
        body: ContactBody,
        response: { 202: MessageResponse, ...errors },
      },
    },
    async (request, reply) => {
      await recordContact(services, request.body, request.id);
      return reply.status(202).send({
        message: 'Thank you. We have recorded what you agreed to, and will e-mail you only about that.',
      });
    },
  );

  app.get(
    '/api/v1/marketing/unsubscribe',
    {
      config: { access: 'public', rateLimit },
      logLevel: 'warn',
      schema: {
        summary: 'What an unsubscribe link is about, and what its holder still hears about (changes nothing)',
        tags: ['marketing'],
        querystring: UnsubscribeQuery,
        response: { 200: UnsubscribeView, ...errors },
      },
    },
    async (request) => describeUnsubscribe(services, request.query.token, request.id),
  );

  app.post(
    '/api/v1/marketing/unsubscribe',
    {
      config: { access: 'public', rateLimit },
      logLevel: 'warn',
      schema: {
        summary:
          'Withdraw one purpose, or all (the contact is deleted; the address is never contacted again)',
        tags: ['marketing'],
        body: UnsubscribeBody,
        response: { 200: UnsubscribeResult, ...errors },
      },
    },
    async (request) => unsubscribe(services, request.body.token, request.body.purpose, request.id),
  );

  const operators = requirePlatformPermission(services, 'platform.operate');
  app.get(
    '/api/v1/platform/marketing/contacts',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Marketing contacts with their consents (decrypted; the read is audited)',
        tags: ['platform'],
        response: { 200: Type.Array(ContactView), ...errors },
      },
    },
    async (request) => listContacts(services, operatorOf(request), request.id),
  );

  app.delete(
    '/api/v1/platform/marketing/contacts/:contactId/consents/:purpose',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Withdraw a contact’s consent to one purpose (a contact left with none is deleted)',
        tags: ['platform'],
        params: ConsentParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const { contactId, purpose } = request.params;
      await withdrawConsent(services, operatorOf(request), contactId, purpose, request.id);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/platform/marketing/contacts/:contactId',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Erase a contact: only a keyed hash of the address stays, on the suppression list',
        tags: ['platform'],
        params: ContactParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await eraseContact(services, operatorOf(request), request.params.contactId, request.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/platform/marketing/suppressions',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Addresses never to contact: a reference to each keyed hash, the reason and time',
        tags: ['platform'],
        response: { 200: Type.Array(SuppressionView), ...errors },
      },
    },
    async () => listSuppressions(services),
  );

  app.post(
    '/api/v1/platform/marketing/suppressions',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Never contact an address (a contact with it is erased); refused when it is listed already',
        tags: ['platform'],
        body: SuppressionBody,
        response: { 201: MessageResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await suppressAddress(services, operatorOf(request), request.body.email, request.id);
      return reply.status(201).send({
        message: result.erasedContact
          ? 'The address is on the suppression list, and the contact who had it has been erased.'
          : 'The address is on the suppression list.',
      });
    },
  );
};
