import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requirePlatformPermission, requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import { acknowledgeNotice, schoolNotices } from './breach-inbox.service.ts';
import { addUpdate, closeBreach, sendNotices } from './breach-notices.service.ts';
import {
  BreachDetails,
  BreachParams,
  BreachSummary,
  CloseBody,
  NewBreachBody,
  NoticeParams,
  NotificationsBody,
  SchoolNotice,
  SchoolParams,
  UpdateBody,
} from './breaches.schema.ts';
import {
  breachDetails,
  createBreach,
  listBreaches,
  recordNotifications,
  type BreachWork,
} from './breaches.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409);
const OPERATE = { access: 'platform:platform.operate' as const };
const Created = Type.Object({ id: Type.String({ format: 'uuid' }), reference: Type.String() });
const SentCount = Type.Object({ schoolsSent: Type.Integer() });

/**
 * The breach register: the platform operator records incidents, tells the affected schools (the
 * controllers) and keeps the record of the ICO, the people involved, updates and closure; each school
 * reads and acknowledges the notices it was sent.
 */
export const breachRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const operators = requirePlatformPermission(services, 'platform.operate');
  const work = (request: FastifyRequest): BreachWork => ({
    services,
    who: signedIn(request),
    httpRequestId: request.id,
  });
  const tags = ['breaches'];

  app.get(
    '/api/v1/platform/breaches',
    {
      config: OPERATE,
      onRequest: operators,
      schema: {
        summary: 'The breach register, open breaches first, with their clocks',
        tags,
        response: { 200: Type.Array(BreachSummary), ...errors },
      },
    },
    async () => listBreaches(services),
  );

  app.post(
    '/api/v1/platform/breaches',
    {
      config: OPERATE,
      onRequest: operators,
      schema: {
        summary: 'Record a personal data breach',
        tags,
        body: NewBreachBody,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createBreach(work(request), request.body)),
  );

  app.get(
    '/api/v1/platform/breaches/:breachId',
    {
      config: OPERATE,
      onRequest: operators,
      schema: {
        summary: 'One breach with its notices per school, ICO record, updates and closure',
        tags,
        params: BreachParams,
        response: { 200: BreachDetails, ...errors },
      },
    },
    async (request) => breachDetails(work(request), request.params.breachId),
  );

  app.post(
    '/api/v1/platform/breaches/:breachId/notices',
    {
      config: OPERATE,
      onRequest: operators,
      schema: {
        summary:
          'Send the notice to every affected school not sent it yet (and e-mail their DPOs and admins)',
        tags,
        params: BreachParams,
        response: { 200: SentCount, ...errors },
      },
    },
    async (request) => ({ schoolsSent: await sendNotices(work(request), request.params.breachId) }),
  );

  app.put(
    '/api/v1/platform/breaches/:breachId/notifications',
    {
      config: OPERATE,
      onRequest: operators,
      schema: {
        summary: 'Record whether and when the ICO and the people involved were told, or why not',
        tags,
        params: BreachParams,
        body: NotificationsBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await recordNotifications(work(request), request.params.breachId, request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/platform/breaches/:breachId/updates',
    {
      config: OPERATE,
      onRequest: operators,
      schema: {
        summary: 'Add an update to the breach, optionally sent to the schools already told',
        tags,
        params: BreachParams,
        body: UpdateBody,
        response: {
          201: Type.Object({ id: Type.String({ format: 'uuid' }), schoolsSent: Type.Integer() }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addUpdate(work(request), request.params.breachId, request.body)),
  );

  app.post(
    '/api/v1/platform/breaches/:breachId/close',
    {
      config: OPERATE,
      onRequest: operators,
      schema: {
        summary: 'Close the breach with its outcome and lessons',
        tags,
        params: BreachParams,
        body: CloseBody,
        response: { 200: SentCount, ...errors },
      },
    },
    async (request) => closeBreach(work(request), request.params.breachId, request.body),
  );

  const privacy = requireSchoolPermission(services, 'privacy.manage');

  app.get(
    '/api/v1/schools/:schoolId/breach-notices',
    {
      config: { access: 'school:privacy.manage' },
      onRequest: privacy,
      schema: {
        summary: 'Breach notices Haven sent this school, newest first',
        tags,
        params: SchoolParams,
        response: { 200: Type.Array(SchoolNotice), ...errors },
      },
    },
    async (request) => schoolNotices(services, signedIn(request), request.params.schoolId, request.id),
  );

  app.post(
    '/api/v1/schools/:schoolId/breach-notices/:noticeId/acknowledge',
    {
      config: { access: 'school:privacy.manage' },
      onRequest: privacy,
      schema: {
        summary: 'Acknowledge a breach notice (Haven sees that it reached the school)',
        tags,
        params: NoticeParams,
        response: { 200: SchoolNotice, ...errors },
      },
    },
    async (request) =>
      acknowledgeNotice(
        services,
        signedIn(request),
        request.params.schoolId,
        request.params.noticeId,
        request.id,
      ),
  );
};
