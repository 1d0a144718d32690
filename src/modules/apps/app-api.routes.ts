import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { appSchool, appStudents } from './app-data.service.ts';
import { AppApiError, appAccessOf, needScope, requireAppToken } from './app-tokens.ts';
import { revokeAuthorisation } from './authorisations.service.ts';
import type { OAuthServer } from './oauth/provider.ts';

const AppError = Type.Object({ error: Type.String(), message: Type.String() });
const errors = { 400: AppError, 401: AppError, 403: AppError };

const PageQuery = Type.Object({
  page: Type.Integer({ minimum: 1, default: 1 }),
  per_page: Type.Integer({ minimum: 1, maximum: 1500, default: 100 }),
});

const Student = Type.Object({
  id: Type.String({ description: 'Pairwise pupil id: the same pupil has another id in every other app' }),
  first_name: Type.Union([Type.String(), Type.Null()]),
  last_name: Type.Union([Type.String(), Type.Null()]),
  display_name: Type.Union([Type.String(), Type.Null()]),
  year_group: Type.Union([Type.Integer(), Type.Null()]),
  upn: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Only with students.upn' })),
});

/**
 * The data API for apps (`/api/apps/v1`), behind a school-approved bearer token. Errors follow the app
 * model: `{"error": code, "message": text}` with invalid_request / invalid_token / insufficient_scope.
 */
export const appApiRoutes: FastifyPluginAsyncTypebox<{ services: Services; server: OAuthServer }> = async (
  app,
  { services, server },
) => {
  app.decorateRequest('appAccess', null);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppApiError) {
      if (error.status === 401) {
        void reply.header('www-authenticate', `Bearer error="${error.code}"`);
      }
      return reply.status(error.status).send({ error: error.code, message: error.message });
    }
    if (error.validation !== undefined) {
      return reply.status(400).send({ error: 'invalid_request', message: error.message });
    }
    request.log.error({ err: error }, 'app API request failed');
    return reply
      .status(500)
      .send({ error: 'server_error', message: 'Haven could not answer. Try again later.' });
  });
  const token = requireAppToken(services, server);

  app.get(
    '/api/apps/v1/school',
    {
      config: { access: 'app:school' },
      onRequest: token,
      schema: {
        summary: 'The school that approved the app',
        tags: ['app API'],
        security: [{ oauth2: ['school'] }],
        response: {
          200: Type.Object({
            id: Type.String(),
            name: Type.String(),
            urn: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const access = appAccessOf(request);
      needScope(access, 'school');
      return appSchool(services, access);
    },
  );

  app.get(
    '/api/apps/v1/students',
    {
      config: { access: 'app:students.basic' },
      onRequest: token,
      schema: {
        summary: "The school's pupils, a page at a time; attributes only as granted",
        tags: ['app API'],
        security: [{ oauth2: ['students.basic'] }],
        querystring: PageQuery,
        response: { 200: Type.Array(Student), ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      needScope(access, 'students.basic');
      const { page, per_page: perPage } = request.query;
      const { students, total } = await appStudents(services, access, { page, perPage }, request.id);
      const pages = Math.max(1, Math.ceil(total / perPage));
      void reply.header('total', String(total)).header('total-pages', String(pages));
      if (page < pages) {
        void reply.header('next-page', String(page + 1));
      }
      return students;
    },
  );

  app.delete(
    '/api/apps/v1/authorisation',
    {
      config: { access: 'app:any' },
      onRequest: token,
      schema: {
        summary: 'The app withdraws its own access to the school (deauthorise)',
        tags: ['app API'],
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      await revokeAuthorisation(services, {
        schoolId: access.schoolId,
        authorisationId: access.authorisationId,
        by: { type: 'app', id: access.clientId },
        requestId: request.id,
      });
      return reply.status(204).send(null);
    },
  );
};
