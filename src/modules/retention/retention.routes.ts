import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Actor } from '../../platform/audit/audit-log.ts';
import { badRequest, errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import { getSchool } from '../organisations/organisations.service.ts';
import { listHolds, placeHold, releaseHold } from './holds.service.ts';
import { leaveHaven, stayOnHaven } from './leaving.service.ts';
import { readRetentionCertificate, retentionOverview, setSchoolPolicy } from './overview.service.ts';
import {
  CertificateParams,
  CertificateResponse,
  HoldParams,
  HoldsResponse,
  LeaveBody,
  Leaving,
  NewHoldBody,
  OutlookQuery,
  OverviewResponse,
  PolicyBody,
  RuleParams,
  RulesResponse,
  SchoolParams,
} from './retention.schema.ts';

const errors = errorResponses(400, 401, 403, 404, 409);
const MANAGE = 'school:retention.manage';

const actorOf = (request: FastifyRequest): Actor => ({ type: 'user', id: signedIn(request).userId });

/** A school's retention: its rules and own periods, what goes when and why, legal holds, and leaving. */
export const retentionRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const managers = requireSchoolPermission(services, 'retention.manage');
  const admins = requireSchoolPermission(services, 'users.manage');

  app.get(
    '/api/v1/schools/:schoolId/retention',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary:
          'The retention rules in force, what will be deleted in the coming days and why, and past certificates',
        tags: ['retention'],
        params: SchoolParams,
        querystring: OutlookQuery,
        response: { 200: OverviewResponse, ...errors },
      },
    },
    async (request) =>
      retentionOverview(services, request.params.schoolId, request.query.days, actorOf(request), request.id),
  );

  app.put(
    '/api/v1/schools/:schoolId/retention/rules/:rule',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary:
          'Shorten a retention period for this school (never lengthen it); null restores Haven’s promise',
        tags: ['retention'],
        params: RuleParams,
        body: PolicyBody,
        response: { 200: RulesResponse, ...errors },
      },
    },
    async (request) =>
      setSchoolPolicy(
        services,
        request.params.schoolId,
        request.params.rule,
        request.body.period,
        actorOf(request),
        request.id,
      ),
  );

  app.get(
    '/api/v1/schools/:schoolId/retention/certificates/:certificateId',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary: 'One retention certificate: what went, under which rule, by pseudonymous id and count',
        tags: ['retention'],
        params: CertificateParams,
        response: { 200: CertificateResponse, ...errors },
      },
    },
    async (request) =>
      readRetentionCertificate(
        services,
        request.params.schoolId,
        request.params.certificateId,
        actorOf(request),
        request.id,
      ),
  );

  app.get(
    '/api/v1/schools/:schoolId/retention/holds',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary: 'Legal holds, live and past',
        tags: ['retention'],
        params: SchoolParams,
        response: { 200: HoldsResponse, ...errors },
      },
    },
    async (request) => listHolds(services, request.params.schoolId, actorOf(request), request.id),
  );

  app.post(
    '/api/v1/schools/:schoolId/retention/holds',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary:
          'Place a legal hold on a pupil or on the whole school: deletion waits until it is released or expires',
        tags: ['retention'],
        params: SchoolParams,
        body: NewHoldBody,
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }) }), ...errors },
      },
    },
    async (request, reply) => {
      const created = await placeHold(
        services,
        request.params.schoolId,
        request.body,
        actorOf(request),
        request.id,
      );
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/api/v1/schools/:schoolId/retention/holds/:holdId/release',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary: 'Release a legal hold (what it kept is deleted at the next run if due)',
        tags: ['retention'],
        params: HoldParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await releaseHold(
        services,
        request.params.schoolId,
        request.params.holdId,
        actorOf(request),
        request.id,
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/schools/:schoolId/retention/leave',
    {
      config: { access: 'school:users.manage' },
      onRequest: admins,
      schema: {
        summary:
          'Leave Haven: every app loses access now; all of the school’s data is deleted after the notice period',
        tags: ['retention'],
        params: SchoolParams,
        body: LeaveBody,
        response: { 200: Leaving, ...errors },
      },
    },
    async (request) => {
      const school = await getSchool(services, request.params.schoolId);
      const typed = request.body.confirmName.trim().toLowerCase();
      if (typed !== school.name.trim().toLowerCase()) {
        throw badRequest('Type the school’s name exactly to confirm.', [
          { field: 'body.confirmName', message: 'does not match the school’s name' },
        ]);
      }
      return leaveHaven(services, request.params.schoolId, actorOf(request), request.id);
    },
  );

  app.post(
    '/api/v1/schools/:schoolId/retention/stay',
    {
      config: { access: 'school:users.manage' },
      onRequest: admins,
      schema: {
        summary: 'Cancel leaving before the deletion day: nothing is deleted',
        tags: ['retention'],
        params: SchoolParams,
        response: { 200: Leaving, ...errors },
      },
    },
    async (request) => stayOnHaven(services, request.params.schoolId, actorOf(request), request.id),
  );
};
