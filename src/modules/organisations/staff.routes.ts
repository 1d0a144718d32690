import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import { PrintableString } from '../../platform/http/printable.ts';
import type { Services } from '../../services.ts';
import { requireSchoolPermission, signedIn } from './auth.hooks.ts';
import { SchoolParams, StaffMember } from './organisations.schema.ts';
import { addStaff, listStaff, removeStaffRole } from './staff.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409);

/** Who works in the school and in which role: for those who manage users there. */
export const staffRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const managers = requireSchoolPermission(services, 'users.manage');

  app.get(
    '/api/v1/schools/:schoolId/staff',
    {
      config: { access: 'school:users.manage' },
      onRequest: managers,
      schema: {
        summary: "The school's staff and their roles",
        tags: ['schools'],
        params: SchoolParams,
        response: { 200: Type.Array(StaffMember), ...errors },
      },
    },
    async (request) => listStaff(services, signedIn(request), request.params.schoolId, request.id),
  );

  app.post(
    '/api/v1/schools/:schoolId/staff',
    {
      config: { access: 'school:users.manage' },
      onRequest: managers,
      schema: {
        summary: 'Give someone a role in the school; a new account gets an e-mailed set-up link',
        tags: ['schools'],
        params: SchoolParams,
        body: Type.Object({
          email: PrintableString({ minLength: 3, maxLength: 254 }),
          role: PrintableString({ minLength: 1, maxLength: 40 }),
        }),
        response: {
          201: Type.Object({ userId: Type.String({ format: 'uuid' }) }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addStaff(services, signedIn(request), request.params.schoolId, request.body, request.id)),
  );

  app.delete(
    '/api/v1/schools/:schoolId/staff/:userId/roles/:role',
    {
      config: { access: 'school:users.manage' },
      onRequest: managers,
      schema: {
        summary: 'Take a role in the school away from someone',
        tags: ['schools'],
        params: Type.Object({
          schoolId: Type.String({ format: 'uuid' }),
          userId: Type.String({ format: 'uuid' }),
          role: PrintableString({ minLength: 1, maxLength: 40 }),
        }),
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await removeStaffRole(
        services,
        signedIn(request),
        request.params.schoolId,
        { userId: request.params.userId, role: request.params.role },
        request.id,
      );
      return reply.status(204).send(null);
    },
  );
};
