import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import { DeveloperApplicationView, PlatformAppView } from './apps.schema.ts';
import type { Services } from '../../services.ts';
import { requirePlatformPermission, signedIn } from '../organisations/auth.hooks.ts';
import {
  allApps,
  applyAsDeveloper,
  decideApplication,
  developerApplications,
  setAppStatus,
} from './developers.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409);

/** Becoming an app developer (ask; the operator decides), and the operator's control over apps. */
export const developersRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.post(
    '/api/v1/developer-applications',
    {
      config: {
        access: 'public',
        rateLimit: { max: services.auth.loginRatePerMinute, timeWindow: '1 minute' },
      },
      schema: {
        summary: 'Ask to build apps for Haven’s schools; the platform operator decides',
        tags: ['developers'],
        body: Type.Object({
          email: Type.String({ minLength: 3, maxLength: 254 }),
          organisation: Type.String({ minLength: 1, maxLength: 200 }),
          reason: Type.String({ minLength: 1, maxLength: 2000 }),
        }),
        response: { 202: Type.Object({ message: Type.String() }), ...errors },
      },
    },
    async (request, reply) => {
      await applyAsDeveloper(services, request.body, request.id);
      return reply.status(202).send({
        message: 'Thank you. The platform operator will reply by e-mail once they have decided.',
      });
    },
  );

  const operators = requirePlatformPermission(services, 'platform.operate');
  app.get(
    '/api/v1/platform/developer-applications',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Applications to become an app developer',
        tags: ['platform'],
        response: { 200: Type.Array(DeveloperApplicationView), ...errors },
      },
    },
    async () => developerApplications(services),
  );

  app.post(
    '/api/v1/platform/developer-applications/:applicationId/decision',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Approve (the applicant is e-mailed a set-up link) or refuse an application',
        tags: ['platform'],
        params: Type.Object({ applicationId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ approve: Type.Boolean() }),
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await decideApplication(
        services,
        signedIn(request),
        request.params.applicationId,
        request.body.approve,
        request.id,
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/platform/apps',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Every registered app',
        tags: ['platform'],
        response: { 200: Type.Array(PlatformAppView), ...errors },
      },
    },
    async () => allApps(services),
  );

  app.put(
    '/api/v1/platform/apps/:appId/status',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Disable an app (its tokens stop working at once) or enable it again',
        tags: ['platform'],
        params: Type.Object({ appId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]) }),
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await setAppStatus(services, signedIn(request), request.params.appId, request.body.status, request.id);
      return reply.status(204).send(null);
    },
  );
};
