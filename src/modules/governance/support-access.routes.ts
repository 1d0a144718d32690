import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSchoolPermission, requireSession, signedIn } from '../organisations/auth.hooks.ts';
import {
  EngineersResponse,
  GrantParams,
  GrantsResponse,
  NewGrantBody,
  SchoolGrantParams,
  SchoolParams,
} from './support-access.schema.ts';
import * as service from './support-access.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409);
const GRANT = 'school:support.grant';

/** Support access: the school grants and watches it; the engineer sees their grants and closes tickets. */
export const supportAccessRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const granters = requireSchoolPermission(services, 'support.grant');
  const session = requireSession(services);

  app.get(
    '/api/v1/schools/:schoolId/support/engineers',
    {
      config: { access: GRANT },
      onRequest: granters,
      schema: {
        summary: 'The support engineers a school may grant access to',
        tags: ['support'],
        params: SchoolParams,
        response: { 200: EngineersResponse, ...errors },
      },
    },
    async () => service.supportEngineers(services),
  );

  app.get(
    '/api/v1/schools/:schoolId/support/grants',
    {
      config: { access: GRANT },
      onRequest: granters,
      schema: {
        summary: 'Support access granted by the school, each with the requests made under it',
        tags: ['support'],
        params: SchoolParams,
        response: { 200: GrantsResponse, ...errors },
      },
    },
    async (request) => service.schoolGrants(services, signedIn(request), request.params.schoolId, request.id),
  );

  app.post(
    '/api/v1/schools/:schoolId/support/grants',
    {
      config: { access: GRANT },
      onRequest: granters,
      schema: {
        summary: 'Grant a named support engineer access for a purpose and at most 72 hours',
        tags: ['support'],
        params: SchoolParams,
        body: NewGrantBody,
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }) }), ...errors },
      },
    },
    async (request, reply) => {
      const created = await service.grantSupport(
        services,
        signedIn(request),
        request.params.schoolId,
        request.body,
        request.id,
      );
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/api/v1/schools/:schoolId/support/grants/:grantId/revoke',
    {
      config: { access: GRANT },
      onRequest: granters,
      schema: {
        summary: 'End a support grant now',
        tags: ['support'],
        params: SchoolGrantParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await service.revokeSupport(
        services,
        signedIn(request),
        request.params.schoolId,
        request.params.grantId,
        request.id,
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/support/grants',
    {
      config: { access: 'session' },
      onRequest: session,
      schema: {
        summary: 'The signed-in support engineer’s grants, across schools',
        tags: ['support'],
        response: { 200: GrantsResponse, ...errors },
      },
    },
    async (request) => service.myGrants(services, signedIn(request)),
  );

  app.post(
    '/api/v1/support/grants/:grantId/close',
    {
      config: { access: 'session' },
      onRequest: session,
      schema: {
        summary: 'Close the ticket: the access it gave ends now',
        tags: ['support'],
        params: GrantParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await service.closeTicket(services, signedIn(request), request.params.grantId, request.id);
      return reply.status(204).send(null);
    },
  );
};
