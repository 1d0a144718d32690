import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Actor } from '../../platform/audit/audit-log.ts';
import { addDays, daysBetween, todayInEngland } from '../../platform/calendar/working-days.ts';
import { AppError, badRequest, errorResponses, notFound } from '../../platform/http/errors.ts';
import { runJob } from '../../platform/jobs/job-runner.ts';
import type { Services } from '../../services.ts';
import { requirePlatformPermission, signedIn } from '../organisations/auth.hooks.ts';
import { getSchool } from '../organisations/organisations.service.ts';
import { listHolds, placeHold, releaseHold } from './holds.service.ts';
import { leaveHaven, stayOnHaven } from './leaving.service.ts';
import { runRetention, type RunReport } from './retention.service.ts';
import {
  HoldParams,
  HoldsResponse,
  Leaving,
  RunQuery,
  RunResponse,
  SchoolHoldBody,
  SchoolParams,
} from './retention.schema.ts';

const errors = errorResponses(400, 401, 403, 404, 409);
const OPERATE = 'platform:platform.operate';
const actorOf = (request: FastifyRequest): Actor => ({ type: 'user', id: signedIn(request).userId });

/**
 * The operator's view of retention across schools: what would go on a day and why (counts, never
 * pupils), running it now, a school's leaving when it asks by another channel, and school-wide holds
 * (an investigation). Pupil holds and their reasons stay with the school.
 */
export const retentionPlatformRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const operators = requirePlatformPermission(services, 'platform.operate');

  app.get(
    '/api/v1/platform/retention',
    {
      config: { access: OPERATE },
      onRequest: operators,
      schema: {
        summary: 'Dry run: what retention would delete on a day (today by default), per school, and why',
        tags: ['retention'],
        querystring: RunQuery,
        response: { 200: RunResponse, ...errors },
      },
    },
    async (request) => {
      const today = todayInEngland();
      const date = request.query.date ?? today;
      const ahead = daysBetween(today, date);
      if (ahead < 0 || ahead > 366) {
        throw badRequest('Choose a day from today to a year ahead.', [
          { field: 'query.date', message: `must be between ${today} and ${addDays(today, 366)}` },
        ]);
      }
      return runRetention(services, { dryRun: true, now: new Date(`${date}T12:00:00Z`) });
    },
  );

  app.post(
    '/api/v1/platform/retention/run',
    {
      config: { access: OPERATE },
      onRequest: operators,
      schema: {
        summary: 'Run retention now (the server runs it nightly); refused while another run is going',
        tags: ['retention'],
        response: { 200: RunResponse, ...errors },
      },
    },
    async (request) => {
      let report: RunReport | undefined;
      const result = await runJob(services.db, request.log, {
        name: 'retention',
        leaseMinutes: 180,
        run: async () => {
          report = await runRetention(services, { dryRun: false });
          return { ...report.totals, schools: report.schools.length };
        },
      });
      if (!result.ran || report === undefined) {
        throw new AppError(
          409,
          'already_running',
          'Retention is running already; look again in a few minutes.',
        );
      }
      return report;
    },
  );

  app.post(
    '/api/v1/platform/schools/:schoolId/leave',
    {
      config: { access: OPERATE },
      onRequest: operators,
      schema: {
        summary:
          'Record that a school is leaving (asked in writing): apps revoked now, data deleted on the due day',
        tags: ['retention'],
        params: SchoolParams,
        response: { 200: Leaving, ...errors },
      },
    },
    async (request) => {
      await getSchool(services, request.params.schoolId);
      return leaveHaven(services, request.params.schoolId, actorOf(request), request.id);
    },
  );

  app.post(
    '/api/v1/platform/schools/:schoolId/stay',
    {
      config: { access: OPERATE },
      onRequest: operators,
      schema: {
        summary: 'Cancel a school’s leaving before its deletion day',
        tags: ['retention'],
        params: SchoolParams,
        response: { 200: Leaving, ...errors },
      },
    },
    async (request) => stayOnHaven(services, request.params.schoolId, actorOf(request), request.id),
  );

  app.get(
    '/api/v1/platform/schools/:schoolId/holds',
    {
      config: { access: OPERATE },
      onRequest: operators,
      schema: {
        summary: 'School-wide legal holds (holds on pupils are the school’s and are not shown)',
        tags: ['retention'],
        params: SchoolParams,
        response: { 200: HoldsResponse, ...errors },
      },
    },
    async (request) => {
      await getSchool(services, request.params.schoolId);
      const holds = await listHolds(services, request.params.schoolId, actorOf(request), request.id);
      return holds.filter((hold) => hold.scope === 'school');
    },
  );

  app.post(
    '/api/v1/platform/schools/:schoolId/holds',
    {
      config: { access: OPERATE },
      onRequest: operators,
      schema: {
        summary:
          'Hold all of a school’s data (e.g. during an investigation): no retention deletion until released',
        tags: ['retention'],
        params: SchoolParams,
        body: SchoolHoldBody,
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }) }), ...errors },
      },
    },
    async (request, reply) => {
      await getSchool(services, request.params.schoolId);
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
    '/api/v1/platform/schools/:schoolId/holds/:holdId/release',
    {
      config: { access: OPERATE },
      onRequest: operators,
      schema: {
        summary: 'Release a school-wide legal hold',
        tags: ['retention'],
        params: HoldParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const holds = await listHolds(services, request.params.schoolId, actorOf(request), request.id);
      if (!holds.some((hold) => hold.id === request.params.holdId && hold.scope === 'school')) {
        throw notFound('That school-wide legal hold');
      }
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
};
