import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ClassList } from './classes.schema.ts';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import { assignTeacher, listClasses, unassignTeacher } from './classes.service.ts';

const errors = errorResponses(400, 401, 403, 404);
const SchoolParams = Type.Object({ schoolId: Type.String({ format: 'uuid' }) });
const TeacherParams = Type.Object({
  schoolId: Type.String({ format: 'uuid' }),
  classId: Type.String({ format: 'uuid' }),
  userId: Type.String({ format: 'uuid' }),
});

/** Classes and their teachers, managed by the school's data managers. */
export const classRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const managers = requireSchoolPermission(services, 'imports.run');

  app.get(
    '/api/v1/schools/:schoolId/classes',
    {
      config: { access: 'school:imports.run' },
      onRequest: managers,
      schema: {
        summary: 'The school’s classes with subject, number of pupils and teachers (user ids)',
        tags: ['classes'],
        params: SchoolParams,
        response: {
          200: ClassList,
          ...errors,
        },
      },
    },
    async (request) => listClasses(services, request.params.schoolId),
  );

  app.put(
    '/api/v1/schools/:schoolId/classes/:classId/teachers/:userId',
    {
      config: { access: 'school:imports.run' },
      onRequest: managers,
      schema: {
        summary: 'Record that a member of staff teaches a class (they then see its pupils)',
        tags: ['classes'],
        params: TeacherParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const { schoolId, classId, userId } = request.params;
      await assignTeacher(services, signedIn(request), schoolId, classId, userId, request.id);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/schools/:schoolId/classes/:classId/teachers/:userId',
    {
      config: { access: 'school:imports.run' },
      onRequest: managers,
      schema: {
        summary: 'Record that a member of staff no longer teaches a class',
        tags: ['classes'],
        params: TeacherParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const { schoolId, classId, userId } = request.params;
      await unassignTeacher(services, signedIn(request), schoolId, classId, userId, request.id);
      return reply.status(204).send(null);
    },
  );
};
