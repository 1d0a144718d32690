import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import { AuditPage, AuditQuery, SchoolParams } from './audit.schema.ts';
import { auditCsv, readSchoolAudit } from './audit.service.ts';

const errors = errorResponses(400, 401, 403, 404);
const CSV_LIMIT = 10_000;

/** The school's audit log for its admins: filter by actor, pupil, action and dates; CSV export. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const auditReaders = requireSchoolPermission(services, 'audit.read');

  app.get(
    '/api/v1/schools/:schoolId/audit-events',
    {
      config: { access: 'school:audit.read' },
      onRequest: auditReaders,
      schema: {
        summary: "The school's audit log, newest first",
        tags: ['audit'],
        params: SchoolParams,
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errors },
      },
    },
    async (request) => {
      const result = await readSchoolAudit(
        services,
        signedIn(request),
        request.params.schoolId,
        request.query,
        request.id,
      );
      return { ...result, page: request.query.page, perPage: request.query.perPage };
    },
  );

  app.get(
    '/api/v1/schools/:schoolId/audit-events.csv',
    {
      config: { access: 'school:audit.read' },
      onRequest: auditReaders,
      schema: {
        summary: "The school's audit log as CSV (same filters, up to 10,000 events)",
        tags: ['audit'],
        params: SchoolParams,
        querystring: Type.Omit(AuditQuery, ['page', 'perPage']),
        response: { 200: Type.String(), ...errors },
      },
    },
    async (request, reply) => {
      const { events } = await readSchoolAudit(
        services,
        signedIn(request),
        request.params.schoolId,
        { ...request.query, page: 1, perPage: CSV_LIMIT },
        request.id,
      );
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit-events.csv"');
      return auditCsv(events);
    },
  );
};
