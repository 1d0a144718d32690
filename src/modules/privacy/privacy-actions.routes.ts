import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { exportForRequest } from './access.service.ts';
import {
  approveErasure,
  erasureImpact,
  executeErasure,
  readCertificate,
  rejectErasure,
  submitErasure,
} from './erasure.service.ts';
import { applyLimit, liftLimit, limitsOf } from './limits.service.ts';
import { rectifyForRequest } from './rectification.service.ts';
import {
  CertificateParams,
  CertificateResponse,
  ErasureImpactResponse,
  LiftBody,
  LimitBody,
  LimitsResponse,
  OptionalNoteBody,
  PupilParams,
  ReasonBody,
  RectifyBody,
  RequestDetails,
  RequestParams,
} from './requests.schema.ts';
import { readRequest } from './requests.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409);

/**
 * What a request asks for, carried out: the access bundle, rectification, restriction and its kin,
 * and erasure (impact, the DPO's decision, execution and its certificate).
 */
export const privacyActionRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const managers = requireSchoolPermission(services, 'privacy.manage');
  const approvers = requireSchoolPermission(services, 'privacy.approve');
  const work = (who: SignedIn, params: { schoolId: string; requestId: string }, id: string) => ({
    services,
    who,
    schoolId: params.schoolId,
    requestId: params.requestId,
    httpRequestId: id,
  });
  const base = '/api/v1/schools/:schoolId/privacy/requests/:requestId';
  const answer = { 200: RequestDetails, ...errors };

  app.post(
    `${base}/export`,
    {
      config: { access: 'school:privacy.manage' },
      onRequest: managers,
      schema: {
        summary:
          'The access (or portability) bundle: a zip of data.json, a CSV per section and a readable report (audited)',
        tags: ['privacy'],
        params: RequestParams,
        response: { 200: Type.Unknown({ description: 'A zip file' }), ...errors },
      },
    },
    async (request, reply) => {
      const { zip, reference } = await exportForRequest(work(signedIn(request), request.params, request.id));
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${reference}-data.zip"`)
        .header('cache-control', 'no-store')
        .send(zip);
    },
  );

  app.post(
    `${base}/rectify`,
    {
      config: { access: 'school:privacy.manage' },
      onRequest: managers,
      schema: {
        summary: 'Correct the pupil’s record, with the reason (history kept; apps see the change)',
        tags: ['privacy'],
        params: RequestParams,
        body: RectifyBody,
        response: answer,
      },
    },
    async (request) => {
      const frame = work(signedIn(request), request.params, request.id);
      await rectifyForRequest(frame, request.body);
      return readRequest(frame);
    },
  );

  app.post(
    `${base}/limit`,
    {
      config: { access: 'school:privacy.manage' },
      onRequest: managers,
      schema: {
        summary: 'Record the restriction, objection or consent withdrawal, with its effect',
        tags: ['privacy'],
        params: RequestParams,
        body: LimitBody,
        response: answer,
      },
    },
    async (request) => {
      const frame = work(signedIn(request), request.params, request.id);
      await applyLimit(frame, request.body.purpose, request.body.note);
      return readRequest(frame);
    },
  );

  app.get(
    `${base}/erasure-impact`,
    {
      config: { access: 'school:privacy.manage' },
      onRequest: managers,
      schema: {
        summary: 'What an erasure would delete, and records that also concern others (to redact by hand)',
        tags: ['privacy'],
        params: RequestParams,
        response: { 200: ErasureImpactResponse, ...errors },
      },
    },
    async (request) => erasureImpact(work(signedIn(request), request.params, request.id)),
  );

  app.post(
    `${base}/submit-erasure`,
    {
      config: { access: 'school:privacy.manage' },
      onRequest: managers,
      schema: {
        summary: 'Ask the data protection officer to decide the erasure (they are e-mailed)',
        tags: ['privacy'],
        params: RequestParams,
        body: OptionalNoteBody,
        response: answer,
      },
    },
    async (request) => {
      const frame = work(signedIn(request), request.params, request.id);
      await submitErasure(frame, request.body.note);
      return readRequest(frame);
    },
  );

  for (const [path, decide, summary] of [
    ['approve-erasure', approveErasure, 'The DPO approves the erasure, with the reason'],
    ['reject-erasure', rejectErasure, 'The DPO refuses the erasure, with the reason'],
  ] as const) {
    app.post(
      `${base}/${path}`,
      {
        config: { access: 'school:privacy.approve' },
        onRequest: approvers,
        schema: { summary, tags: ['privacy'], params: RequestParams, body: ReasonBody, response: answer },
      },
      async (request) => {
        const frame = work(signedIn(request), request.params, request.id);
        await decide(frame, request.body.reason);
        return readRequest(frame);
      },
    );
  }

  app.post(
    `${base}/execute-erasure`,
    {
      config: { access: 'school:privacy.manage' },
      onRequest: managers,
      schema: {
        summary:
          'Carry out an approved erasure: rows deleted, the pupil’s key destroyed, apps told, certificate written',
        tags: ['privacy'],
        params: RequestParams,
        response: answer,
      },
    },
    async (request) => {
      const frame = work(signedIn(request), request.params, request.id);
      await executeErasure(frame);
      return readRequest(frame);
    },
  );

  app.get(
    '/api/v1/schools/:schoolId/privacy/certificates/:certificateId',
    {
      config: { access: 'school:privacy.manage' },
      onRequest: managers,
      schema: {
        summary: 'A certificate of erasure (pseudonymous ids and counts only) with its digest',
        tags: ['privacy'],
        params: CertificateParams,
        response: { 200: CertificateResponse, ...errors },
      },
    },
    async (request) =>
      readCertificate(services, signedIn(request), request.params.schoolId, request.params.certificateId),
  );

  app.get(
    '/api/v1/schools/:schoolId/privacy/pupils/:pupilId/limits',
    {
      config: { access: 'school:privacy.manage' },
      onRequest: managers,
      schema: {
        summary: 'The limits on processing in force for a pupil (restriction, objection, consent withdrawn)',
        tags: ['privacy'],
        params: PupilParams,
        response: { 200: LimitsResponse, ...errors },
      },
    },
    async (request) => ({
      limits: await limitsOf(services, request.params.schoolId, request.params.pupilId),
    }),
  );

  app.post(
    '/api/v1/schools/:schoolId/privacy/pupils/:pupilId/limits/lift',
    {
      config: { access: 'school:privacy.manage' },
      onRequest: managers,
      schema: {
        summary: 'Lift a limit on processing, with the reason',
        tags: ['privacy'],
        params: PupilParams,
        body: LiftBody,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await liftLimit(
        services,
        signedIn(request),
        request.params.schoolId,
        { pupilId: request.params.pupilId, ...request.body },
        request.id,
      );
      return reply.status(204).send(null);
    },
  );
};
