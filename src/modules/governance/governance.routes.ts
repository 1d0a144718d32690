import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requirePlatformPermission, requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import { evidenceHtml } from './evidence.html.ts';
import { PlatformEvidenceResponse, SchoolEvidenceResponse } from './evidence.schema.ts';
import { platformEvidence, schoolEvidence } from './evidence.service.ts';
import { PlatformRopaResponse, SchoolParams, SchoolRopaResponse } from './ropa.schema.ts';
import { platformRopa, schoolRopa } from './ropa.service.ts';

const errors = errorResponses(401, 403, 404);
const SCHOOL = 'school:privacy.manage';
const OPERATE = 'platform:platform.operate';
const actorOf = (userId: string) => ({ type: 'user' as const, id: userId });

/**
 * Data protection records: the record of processing activities (UK GDPR Art. 30(2)) and the compliance
 * evidence report, for a school's admin or DPO and for the operator. Every read is audited.
 */
export const governanceRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const managers = requireSchoolPermission(services, 'privacy.manage');
  const operators = requirePlatformPermission(services, 'platform.operate');

  app.get(
    '/api/v1/schools/:schoolId/governance/ropa',
    {
      config: { access: SCHOOL },
      onRequest: managers,
      schema: {
        summary:
          'The record of processing activities for this school, generated now (categories and counts only)',
        tags: ['governance'],
        params: SchoolParams,
        response: { 200: SchoolRopaResponse, ...errors },
      },
    },
    async (request) =>
      schoolRopa(services, request.params.schoolId, actorOf(signedIn(request).userId), request.id),
  );

  app.get(
    '/api/v1/schools/:schoolId/governance/evidence',
    {
      config: { access: SCHOOL },
      onRequest: managers,
      schema: {
        summary:
          'Compliance evidence: encryption, access review, two-factor, requests, retention, backups, breach notices, residency',
        tags: ['governance'],
        params: SchoolParams,
        response: { 200: SchoolEvidenceResponse, ...errors },
      },
    },
    async (request) => schoolEvidence(services, request.params.schoolId, signedIn(request), request.id),
  );

  app.get(
    '/api/v1/schools/:schoolId/governance/evidence.html',
    {
      config: { access: SCHOOL },
      onRequest: managers,
      schema: {
        summary: 'The compliance evidence report as one standalone HTML file, to download and keep',
        tags: ['governance'],
        params: SchoolParams,
        produces: ['text/html'],
        response: { 200: Type.String(), ...errors },
      },
    },
    async (request, reply) => {
      const evidence = await schoolEvidence(services, request.params.schoolId, signedIn(request), request.id);
      const day = evidence.generatedAt.slice(0, 10);
      return reply
        .type('text/html; charset=utf-8')
        .header('content-disposition', `attachment; filename="haven-evidence-${day}.html"`)
        .send(evidenceHtml(evidence));
    },
  );

  app.get(
    '/api/v1/platform/ropa',
    {
      config: { access: OPERATE },
      onRequest: operators,
      schema: {
        summary:
          'The platform’s record of processing: each school’s categories of data by count, never pupil data',
        tags: ['governance'],
        response: { 200: PlatformRopaResponse, ...errors },
      },
    },
    async (request) => platformRopa(services, actorOf(signedIn(request).userId), request.id),
  );

  app.get(
    '/api/v1/platform/evidence',
    {
      config: { access: OPERATE },
      onRequest: operators,
      schema: {
        summary: 'Platform-wide compliance evidence for the annual audit: per-school figures and totals',
        tags: ['governance'],
        response: { 200: PlatformEvidenceResponse, ...errors },
      },
    },
    async (request) => platformEvidence(services, actorOf(signedIn(request).userId), request.id),
  );
};
