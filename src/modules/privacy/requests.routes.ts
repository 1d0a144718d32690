import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from 'typebox';
import { Check } from 'typebox/value';
import { badRequest, errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { schoolStaffHolding } from '../organisations/staff.service.ts';
import {
  AssignBody,
  AssigneesResponse,
  CloseBody,
  DeadlineQuery,
  DeadlineResponse,
  ExtendBody,
  IdentityBody,
  ListQuery,
  ListResponse,
  NewRequestBody,
  OptionalNoteBody,
  PauseBody,
  RequestDetails,
  RequestParams,
  ResumeBody,
  SchoolParams,
  SubjectBody,
} from './requests.schema.ts';
import { deadlineFor } from './deadlines.ts';
import * as steps from './request-steps.service.ts';
import * as service from './requests.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409);
const Created = Type.Object({ id: Type.String({ format: 'uuid' }), reference: Type.String() });
const MANAGE = 'school:privacy.manage';

/**
 * The school's register of data subject requests (privacy.manage: the school admin and the DPO). Each
 * step is a POST to the request's own address; the answer is the request as it now stands.
 */
export const privacyRequestRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const managers = requireSchoolPermission(services, 'privacy.manage');
  const work = (who: SignedIn, params: { schoolId: string; requestId: string }, id: string) => ({
    services,
    who,
    schoolId: params.schoolId,
    requestId: params.requestId,
    httpRequestId: id,
  });

  app.get(
    '/api/v1/schools/:schoolId/privacy/requests',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary: 'The register of data subject requests, by due date, with overdue and due-soon counts',
        tags: ['privacy'],
        params: SchoolParams,
        querystring: ListQuery,
        response: { 200: ListResponse, ...errors },
      },
    },
    async (request) =>
      service.listRequests(services, signedIn(request), request.params.schoolId, request.query, request.id),
  );

  app.post(
    '/api/v1/schools/:schoolId/privacy/requests',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary: 'Record a request received by the school; its deadline follows from the day received',
        tags: ['privacy'],
        params: SchoolParams,
        body: NewRequestBody,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const created = await service.createRequest(
        services,
        signedIn(request),
        request.params.schoolId,
        request.body,
        request.id,
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/v1/schools/:schoolId/privacy/deadline',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary:
          'The deadline a request received on a day gets: due date, the latest an extension allows, and by when to decide one',
        tags: ['privacy'],
        params: SchoolParams,
        querystring: DeadlineQuery,
        response: { 200: DeadlineResponse, ...errors },
      },
    },
    async (request) => deadlineFor(request.query.receivedOn),
  );

  app.get(
    '/api/v1/schools/:schoolId/privacy/assignees',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary: 'Staff who may handle requests (to assign one)',
        tags: ['privacy'],
        params: SchoolParams,
        response: { 200: AssigneesResponse, ...errors },
      },
    },
    async (request) => ({
      assignees: await schoolStaffHolding(services, request.params.schoolId, 'privacy.manage'),
    }),
  );

  app.get(
    '/api/v1/schools/:schoolId/privacy/requests/:requestId',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary: 'One request: requester, deadline, history and what may be done next (audited)',
        tags: ['privacy'],
        params: RequestParams,
        response: { 200: RequestDetails, ...errors },
      },
    },
    async (request) => service.readRequest(work(signedIn(request), request.params, request.id)),
  );

  /** Declares one step route: POST …/requests/:requestId/<path>, answering with the request after it. */
  function step<S extends TSchema>(
    path: string,
    summary: string,
    body: S,
    perform: (frame: service.RequestWork, input: Static<S>) => Promise<unknown>,
  ): void {
    app.post(
      `/api/v1/schools/:schoolId/privacy/requests/:requestId/${path}`,
      {
        config: { access: MANAGE },
        onRequest: managers,
        schema: {
          summary,
          tags: ['privacy'],
          params: RequestParams,
          body,
          response: { 200: RequestDetails, ...errors },
        },
      },
      async (request) => {
        const frame = work(signedIn(request), request.params, request.id);
        const input: unknown = request.body;
        // Fastify validated the body against the same schema; this only tells TypeScript so.
        if (!Check(body, input)) {
          throw badRequest('The request body is not valid.');
        }
        await perform(frame, input);
        return service.readRequest(frame);
      },
    );
  }

  step(
    'pause',
    'Stop the clock while waiting for proof of identity or clarification',
    PauseBody,
    steps.pauseRequest,
  );
  step('resume', 'Restart the clock', ResumeBody, steps.resumeRequest);
  step(
    'extend',
    'Extend a complex request by up to two further months, with the reason',
    ExtendBody,
    steps.extendRequest,
  );
  step('identity', 'Record the identity check', IdentityBody, steps.recordIdentityCheck);
  step('assign', 'Assign the request to a colleague', AssignBody, (frame, body) =>
    steps.assignRequest(frame, body.assigneeId),
  );
  step('subject', 'Link the pupil the request is about', SubjectBody, (frame, body) =>
    steps.linkSubject(frame, body.subjectId),
  );
  step('complete', 'Close the request as answered', CloseBody, (frame, body) =>
    steps.completeRequest(frame, body.note),
  );
  step('refuse', 'Refuse the request, with the reason', CloseBody, (frame, body) =>
    steps.refuseRequest(frame, body.note),
  );
  step('withdraw', 'The requester withdrew the request', OptionalNoteBody, (frame, body) =>
    steps.withdrawRequest(frame, body.note),
  );
};
