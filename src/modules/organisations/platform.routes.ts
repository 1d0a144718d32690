import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { keyStatus } from '../../platform/crypto/key-status.ts';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requirePlatformPermission, signedIn } from './auth.hooks.ts';
import { KeyStatusResponse, NewSchoolBody, PlatformSchool } from './organisations.schema.ts';
import { createSchool, listSchools } from './organisations.service.ts';
import { addStaff } from './staff.service.ts';

const errors = errorResponses(400, 401, 403, 409);

/** The platform operator's work: schools on the platform and the state of their keys (never pupil data). */
export const platformRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const operators = requirePlatformPermission(services, 'platform.operate');

  app.get(
    '/api/v1/platform/schools',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Every school on the platform',
        tags: ['platform'],
        response: { 200: Type.Array(PlatformSchool), ...errors },
      },
    },
    async () =>
      (await listSchools(services)).map((school) => ({
        ...school,
        createdAt: school.createdAt.toISOString(),
      })),
  );

  app.post(
    '/api/v1/platform/schools',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Add a school (with its own keys), and invite its first administrator',
        tags: ['platform'],
        body: NewSchoolBody,
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }) }), ...errors },
      },
    },
    async (request, reply) => {
      const { adminEmail, ...school } = request.body;
      const created = await createSchool(services, school);
      if (adminEmail !== undefined && adminEmail.trim() !== '') {
        await addStaff(
          services,
          signedIn(request),
          created.id,
          { email: adminEmail, role: 'school_admin' },
          request.id,
        );
      }
      return reply.status(201).send({ id: created.id });
    },
  );

  app.get(
    '/api/v1/platform/keys',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Key versions, rotation progress and master keys in use (never key material)',
        tags: ['platform'],
        response: { 200: KeyStatusResponse, ...errors },
      },
    },
    async () => keyStatus(services.db, services.keyring.provider),
  );
};
