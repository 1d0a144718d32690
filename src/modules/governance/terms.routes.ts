import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { badRequest, errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requirePlatformPermission, requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import { getSchool } from '../organisations/organisations.service.ts';
import { Leaving } from '../retention/retention.schema.ts';
import {
  NewTermsBody,
  OptOutBody,
  PlatformTermsResponse,
  SchoolParams,
  SchoolTermsResponse,
  VersionParams,
} from './terms.schema.ts';
import * as service from './terms.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409);
const actor = (userId: string) => ({ type: 'user' as const, id: userId });

/** Terms of service: the operator publishes versions; every school reads them; its admins answer. */
export const termsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const operators = requirePlatformPermission(services, 'platform.operate');
  const readers = requireSchoolPermission(services, 'organisation.read');
  const admins = requireSchoolPermission(services, 'users.manage');

  app.get(
    '/api/v1/platform/terms',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Every version of the terms, with how many schools accepted or opted out',
        tags: ['terms'],
        response: { 200: PlatformTermsResponse, ...errors },
      },
    },
    async () => service.platformTerms(services),
  );

  app.post(
    '/api/v1/platform/terms',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: `Publish a version of the terms, taking effect at least ${service.NOTICE_DAYS} days later; schools are told`,
        tags: ['terms'],
        body: NewTermsBody,
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }) }), ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.publishTerms(services, actor(signedIn(request).userId), request.body)),
  );

  app.get(
    '/api/v1/schools/:schoolId/terms',
    {
      config: { access: 'school:organisation.read' },
      onRequest: readers,
      schema: {
        summary: 'The terms in force and upcoming, with the school’s answers',
        tags: ['terms'],
        params: SchoolParams,
        response: { 200: SchoolTermsResponse, ...errors },
      },
    },
    async (request) => service.schoolTerms(services, request.params.schoolId),
  );

  app.post(
    '/api/v1/schools/:schoolId/terms/:versionId/accept',
    {
      config: { access: 'school:users.manage' },
      onRequest: admins,
      schema: {
        summary: 'Accept a version of the terms for the school',
        tags: ['terms'],
        params: VersionParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await service.acceptTerms(
        services,
        request.params.schoolId,
        request.params.versionId,
        actor(signedIn(request).userId),
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/schools/:schoolId/terms/:versionId/opt-out',
    {
      config: { access: 'school:users.manage' },
      onRequest: admins,
      schema: {
        summary:
          'Opt out of upcoming terms: the school starts leaving Haven (apps revoked, data deleted after the leaving period)',
        tags: ['terms'],
        params: VersionParams,
        body: OptOutBody,
        response: { 200: Leaving, ...errors },
      },
    },
    async (request) => {
      const school = await getSchool(services, request.params.schoolId);
      if (request.body.confirmName.trim().toLowerCase() !== school.name.trim().toLowerCase()) {
        throw badRequest('Type the school’s name exactly to confirm.', [
          { field: 'body.confirmName', message: 'does not match the school’s name' },
        ]);
      }
      return service.optOutOfTerms(
        services,
        request.params.schoolId,
        request.params.versionId,
        actor(signedIn(request).userId),
      );
    },
  );
};
