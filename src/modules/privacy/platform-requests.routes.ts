import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requirePlatformPermission, signedIn } from '../organisations/auth.hooks.ts';
import { routeToSchool } from './platform-requests.service.ts';
import { RoutedRequestBody } from './requests.schema.ts';

const errors = errorResponses(400, 401, 403, 404);

/**
 * Requests that reach the platform operator (Haven is the processor) about a school's pupils: they are
 * passed to the school, the controller, at once. The operator records who asked and what; the school
 * identifies the pupil and answers. The operator sees nothing of the register afterwards.
 */
export const platformRequestRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.post(
    '/api/v1/platform/privacy-requests',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: requirePlatformPermission(services, 'platform.operate'),
      schema: {
        summary: 'Pass a data subject request received by the platform to the school that controls the data',
        tags: ['privacy'],
        body: RoutedRequestBody,
        response: {
          201: Type.Object({ reference: Type.String(), schoolId: Type.String({ format: 'uuid' }) }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const routed = await routeToSchool(services, signedIn(request), request.body, request.id);
      return reply.status(201).send(routed);
    },
  );
};
