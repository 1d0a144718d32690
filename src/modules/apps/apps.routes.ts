import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requirePlatformPermission, requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import {
  AppParams,
  AppWithSecret,
  AuthorisationView,
  DeveloperAppView,
  NewAppBody,
  SchoolAppParams,
  ScopeView,
} from './apps.schema.ts';
import { revokeAuthorisation, schoolAuthorisations } from './authorisations.service.ts';
import { developerApps, registerApp, rotateSecret } from './registry.service.ts';
import { SCOPES } from './scopes.ts';

const errors = errorResponses(400, 401, 403, 404);
const SchoolParams = Type.Object({ schoolId: Type.String({ format: 'uuid' }) });

/** The scope catalogue, the school's authorised apps (with revoke), and app developers' registry. */
export const appsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/api/v1/app-scopes',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Every scope an app can ask for, in plain English, with its sensitivity',
        tags: ['apps'],
        response: { 200: Type.Array(ScopeView) },
      },
    },
    async () => [...SCOPES.values()],
  );

  const approvers = requireSchoolPermission(services, 'apps.approve');
  app.get(
    '/api/v1/schools/:schoolId/apps',
    {
      config: { access: 'school:apps.approve' },
      onRequest: approvers,
      schema: {
        summary: 'Apps the school has authorised: scopes, last access, request counts',
        tags: ['apps'],
        params: SchoolParams,
        response: { 200: Type.Array(AuthorisationView), ...errors },
      },
    },
    async (request) => schoolAuthorisations(services, request.params.schoolId),
  );

  app.delete(
    '/api/v1/schools/:schoolId/apps/:authorisationId',
    {
      config: { access: 'school:apps.approve' },
      onRequest: approvers,
      schema: {
        summary: 'Withdraw an app’s access at once: its tokens fail on the next request',
        tags: ['apps'],
        params: SchoolAppParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await revokeAuthorisation(services, {
        schoolId: request.params.schoolId,
        authorisationId: request.params.authorisationId,
        by: { type: 'user', id: signedIn(request).userId },
        requestId: request.id,
      });
      return reply.status(204).send(null);
    },
  );

  const developers = requirePlatformPermission(services, 'apps.develop');
  app.get(
    '/api/v1/developer/apps',
    {
      config: { access: 'platform:apps.develop' },
      onRequest: developers,
      schema: {
        summary: 'The signed-in developer’s apps',
        tags: ['developers'],
        response: { 200: Type.Array(DeveloperAppView), ...errors },
      },
    },
    async (request) => developerApps(services, signedIn(request)),
  );

  app.post(
    '/api/v1/developer/apps',
    {
      config: { access: 'platform:apps.develop' },
      onRequest: developers,
      schema: {
        summary: 'Register an app (accepting the developer terms); the client secret is shown once',
        tags: ['developers'],
        body: NewAppBody,
        response: { 201: AppWithSecret, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await registerApp(services, signedIn(request), request.body)),
  );

  app.post(
    '/api/v1/developer/apps/:appId/secret',
    {
      config: { access: 'platform:apps.develop' },
      onRequest: developers,
      schema: {
        summary: 'Replace the client secret; the old one stops working at once',
        tags: ['developers'],
        params: AppParams,
        response: { 200: Type.Object({ clientSecret: Type.String() }), ...errors },
      },
    },
    async (request) => ({
      clientSecret: await rotateSecret(services, signedIn(request), request.params.appId),
    }),
  );
};
