import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSchoolPermission, signedIn } from './auth.hooks.ts';
import { SchoolParams, SchoolSettings, SchoolSettingsUpdate } from './organisations.schema.ts';
import { getSchoolSettings, updateSchoolSettings } from './organisations.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409);

/** A school's settings: any of its staff may read them; those who manage users may change them. */
export const organisationRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.get(
    '/api/v1/schools/:schoolId/settings',
    {
      config: { access: 'school:organisation.read' },
      onRequest: requireSchoolPermission(services, 'organisation.read'),
      schema: {
        summary: "The school's settings",
        tags: ['schools'],
        params: SchoolParams,
        response: { 200: SchoolSettings, ...errors },
      },
    },
    async (request) => getSchoolSettings(services, request.params.schoolId),
  );

  app.patch(
    '/api/v1/schools/:schoolId/settings',
    {
      config: { access: 'school:users.manage' },
      onRequest: requireSchoolPermission(services, 'users.manage'),
      schema: {
        summary: "Change the school's settings (e.g. require two-factor sign-in)",
        tags: ['schools'],
        params: SchoolParams,
        body: SchoolSettingsUpdate,
        response: { 200: SchoolSettings, ...errors },
      },
    },
    async (request) => {
      const who = signedIn(request);
      return updateSchoolSettings(services, request.params.schoolId, request.body, {
        userId: who.userId,
        twoFactor: who.twoFactor,
        requestId: request.id,
      });
    },
  );
};
