import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { modifiedSince, sendConditional, setPageHeaders } from '../../platform/http/pagination.ts';
import type { Services } from '../../services.ts';
import {
  AppApiError as AppApiErrorSchema,
  AssessmentPointView,
  ClassMembers,
  ClassParams,
  ClassView,
  DeletionsQuery,
  DeletionView,
  GradeSetView,
  PageQuery,
  PriorAttainmentView,
  ResultsQuery,
  ResultView,
  SchoolView,
  Student,
  StudentParams,
  SubjectView,
  YearGroupView,
} from './app-api.schema.ts';
import {
  appAssessmentPoints,
  appClasses,
  appClassMembers,
  appDeletions,
  appGradeSets,
  appPriorAttainment,
  appResults,
  appSchool,
  appStudent,
  appStudents,
  appSubjects,
  appYearGroups,
  facetsGranted,
} from './app-data.service.ts';
import { AppApiError, appAccessOf, needScope, requireAppToken } from './app-tokens.ts';
import { revokeAuthorisation } from './authorisations.service.ts';
import type { OAuthServer } from './oauth/provider.ts';

const errors = {
  400: AppApiErrorSchema,
  401: AppApiErrorSchema,
  403: AppApiErrorSchema,
  404: AppApiErrorSchema,
  429: AppApiErrorSchema,
};
const MEDIA_TYPE = 'application/vnd.haven+json';
const CURRENT_VERSION = '1';

/** Versioning by the Accept header: `application/vnd.haven+json; version=1` (the default); others are 406. */
function versionAsked(request: FastifyRequest): string | undefined {
  const accept = request.headers.accept ?? '';
  for (const part of accept.split(',')) {
    const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim());
    if (type === MEDIA_TYPE) {
      const version = parameters.find((parameter) => parameter.startsWith('version='));
      return version === undefined ? CURRENT_VERSION : version.slice('version='.length);
    }
  }
  return undefined;
}

/** The rate limit counts per token (its digest), not per client address: one app, one budget per grant. */
function tokenKey(request: FastifyRequest): string {
  return createHash('sha256')
    .update(request.headers.authorization ?? request.ip)
    .digest('base64url');
}

const security = (scope: string) => [{ oauth2: [scope] }];

/** The curriculum's shape (subjects, points, grade sets) comes with any assessments scope. */
function needAssessments(request: FastifyRequest) {
  const access = appAccessOf(request);
  if (
    !['assessments.results', 'assessments.targets', 'assessments.prior_attainment'].some((scope) =>
      access.scopes.has(scope),
    )
  ) {
    needScope(access, 'assessments.results');
  }
  return access;
}

/**
 * The data API for apps (`/api/apps/v1`), behind a school-approved bearer token: each resource needs its
 * scope, pupils carry only the attributes granted, lists are paged, GETs are conditional, every read is
 * audited. Errors follow the app model: `{"error": code, "message": text}`.
 */
export const appApiRoutes: FastifyPluginAsyncTypebox<{ services: Services; server: OAuthServer }> = async (
  app,
  { services, server },
) => {
  app.decorateRequest('appAccess', null);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppApiError) {
      if (error.status === 401) {
        void reply.header('www-authenticate', `Bearer error="${error.code}"`);
      }
      if (error.status === 403 && error.code === 'insufficient_scope') {
        void reply.header('www-authenticate', 'Bearer error="insufficient_scope"');
      }
      return reply.status(error.status).send({ error: error.code, message: error.message });
    }
    if (error.statusCode === 429) {
      return reply.status(429).send({
        error: 'rate_limited',
        message: 'Too many requests for this token: slow down and retry later.',
      });
    }
    if (error.validation !== undefined) {
      return reply.status(400).send({ error: 'invalid_request', message: error.message });
    }
    request.log.error({ err: error }, 'app API request failed');
    return reply
      .status(500)
      .send({ error: 'server_error', message: 'Haven could not answer. Try again later.' });
  });
  app.addHook('onRequest', async (request, reply) => {
    const version = versionAsked(request);
    if (version !== undefined && version !== CURRENT_VERSION) {
      return reply.status(406).send({
        error: 'not_acceptable',
        message: `Version ${version} of the app API does not exist; use version=1.`,
      });
    }
    void reply.header('haven-api-version', CURRENT_VERSION);
    return undefined;
  });
  const token = requireAppToken(services, server);
  const rateLimit = {
    max: services.auth.appRatePerFiveMinutes,
    timeWindow: '5 minutes',
    keyGenerator: tokenKey,
  };
  const config = (access: `app:${string}`) => ({ access, rateLimit });

  app.get(
    '/api/apps/v1/school',
    {
      config: config('app:school'),
      onRequest: token,
      schema: {
        summary: 'The school that approved the app',
        tags: ['app API'],
        security: security('school'),
        response: { 200: SchoolView, ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      needScope(access, 'school');
      return sendConditional(request, reply, await appSchool(services, access));
    },
  );

  app.get(
    '/api/apps/v1/students',
    {
      config: config('app:students.basic'),
      onRequest: token,
      schema: {
        summary:
          "The school's pupils, a page at a time; attributes only as granted. If-Modified-Since returns only pupils changed since",
        tags: ['app API'],
        security: security('students.basic'),
        querystring: PageQuery,
        response: { 200: Type.Array(Student), ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      needScope(access, 'students.basic');
      const page = { page: request.query.page, perPage: request.query.per_page };
      const found = await appStudents(services, access, { page, since: modifiedSince(request) }, request.id);
      setPageHeaders(request, reply, page, found.total);
      return sendConditional(request, reply, found.students, found.lastModified);
    },
  );

  app.get(
    '/api/apps/v1/deletions',
    {
      config: config('app:students.basic'),
      onRequest: token,
      schema: {
        summary:
          'Pupils to delete (erased) or stop using (restricted, or withdrawn from apps), oldest first; If-Modified-Since gives only newer ones',
        tags: ['app API'],
        security: security('students.basic'),
        querystring: DeletionsQuery,
        response: { 200: Type.Array(DeletionView), ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      needScope(access, 'students.basic');
      const page = { page: request.query.page, perPage: request.query.per_page };
      const since =
        request.query.since === undefined ? modifiedSince(request) : new Date(request.query.since);
      const found = await appDeletions(services, access, { page, since }, request.id);
      setPageHeaders(request, reply, page, found.total);
      return sendConditional(request, reply, found.deletions, found.lastModified);
    },
  );

  app.get(
    '/api/apps/v1/students/left',
    {
      config: config('app:students.basic'),
      onRequest: token,
      schema: {
        summary: 'Pupils who have left the school (a leave date, or no longer on roll)',
        tags: ['app API'],
        security: security('students.basic'),
        querystring: PageQuery,
        response: { 200: Type.Array(Student), ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      needScope(access, 'students.basic');
      const page = { page: request.query.page, perPage: request.query.per_page };
      const found = await appStudents(
        services,
        access,
        { page, left: true, since: modifiedSince(request) },
        request.id,
      );
      setPageHeaders(request, reply, page, found.total);
      return sendConditional(request, reply, found.students, found.lastModified);
    },
  );

  app.get(
    '/api/apps/v1/students/:studentId',
    {
      config: config('app:students.basic'),
      onRequest: token,
      schema: {
        summary: 'One pupil, by the id this app knows them by',
        tags: ['app API'],
        security: security('students.basic'),
        params: StudentParams,
        response: { 200: Student, ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      needScope(access, 'students.basic');
      const found = await appStudent(services, access, request.params.studentId, request.id);
      return sendConditional(request, reply, found.student, found.lastModified);
    },
  );

  app.get(
    '/api/apps/v1/year_groups',
    {
      config: config('app:students.basic'),
      onRequest: token,
      schema: {
        summary: 'Year groups and how many pupils each has',
        tags: ['app API'],
        security: security('students.basic'),
        response: { 200: Type.Array(YearGroupView), ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      needScope(access, 'students.basic');
      return sendConditional(request, reply, await appYearGroups(services, access));
    },
  );

  app.get(
    '/api/apps/v1/classes',
    {
      config: config('app:classes'),
      onRequest: token,
      schema: {
        summary: 'Classes and teaching groups',
        tags: ['app API'],
        security: security('classes'),
        querystring: PageQuery,
        response: { 200: Type.Array(ClassView), ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      needScope(access, 'classes');
      const page = { page: request.query.page, perPage: request.query.per_page };
      const found = await appClasses(services, access, page);
      setPageHeaders(request, reply, page, found.total);
      return sendConditional(request, reply, found.rows);
    },
  );

  app.get(
    '/api/apps/v1/classes/:classId/members',
    {
      config: config('app:classes'),
      onRequest: token,
      schema: {
        summary: 'The pupils of a class (by the ids this app knows them by)',
        tags: ['app API'],
        security: security('classes'),
        params: ClassParams,
        response: { 200: ClassMembers, ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      needScope(access, 'classes');
      return sendConditional(
        request,
        reply,
        await appClassMembers(services, access, request.params.classId, request.id),
      );
    },
  );

  app.get(
    '/api/apps/v1/subjects',
    {
      config: config('app:assessments'),
      onRequest: token,
      schema: {
        summary: 'Subjects with their qualification, Attainment 8 pillar and grade set',
        tags: ['app API'],
        security: security('assessments.results'),
        response: { 200: Type.Array(SubjectView), ...errors },
      },
    },
    async (request, reply) =>
      sendConditional(request, reply, await appSubjects(services, needAssessments(request))),
  );

  app.get(
    '/api/apps/v1/assessment_points',
    {
      config: config('app:assessments'),
      onRequest: token,
      schema: {
        summary: 'Assessment points in their stable order',
        tags: ['app API'],
        security: security('assessments.results'),
        response: { 200: Type.Array(AssessmentPointView), ...errors },
      },
    },
    async (request, reply) =>
      sendConditional(request, reply, await appAssessmentPoints(services, needAssessments(request))),
  );

  app.get(
    '/api/apps/v1/grade_sets',
    {
      config: config('app:assessments'),
      onRequest: token,
      schema: {
        summary: 'Grade sets with each grade’s points and order',
        tags: ['app API'],
        security: security('assessments.results'),
        response: { 200: Type.Array(GradeSetView), ...errors },
      },
    },
    async (request, reply) =>
      sendConditional(request, reply, await appGradeSets(services, needAssessments(request))),
  );

  app.get(
    '/api/apps/v1/results',
    {
      config: config('app:assessments.results'),
      onRequest: token,
      schema: {
        summary:
          'Results: achieved and baseline grades (assessments.results), targets and predictions (assessments.targets)',
        tags: ['app API'],
        security: security('assessments.results'),
        querystring: ResultsQuery,
        response: { 200: Type.Array(ResultView), ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      const granted = facetsGranted(access);
      const facet = request.query.facet;
      if (facet !== undefined && !granted.includes(facet)) {
        needScope(
          access,
          facet === 'target' || facet === 'prediction' ? 'assessments.targets' : 'assessments.results',
        );
      }
      if (granted.length === 0) {
        needScope(access, 'assessments.results');
      }
      const page = { page: request.query.page, perPage: request.query.per_page };
      const found = await appResults(
        services,
        access,
        {
          page,
          facets: facet === undefined ? granted : [facet],
          assessmentPointId: request.query.assessment_point,
          since: modifiedSince(request),
        },
        request.id,
      );
      setPageHeaders(request, reply, page, found.total);
      return sendConditional(request, reply, found.results, found.lastModified);
    },
  );

  app.get(
    '/api/apps/v1/prior_attainment',
    {
      config: config('app:assessments.prior_attainment'),
      onRequest: token,
      schema: {
        summary: 'Key stage 2 results per pupil',
        tags: ['app API'],
        security: security('assessments.prior_attainment'),
        querystring: PageQuery,
        response: { 200: Type.Array(PriorAttainmentView), ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      needScope(access, 'assessments.prior_attainment');
      const page = { page: request.query.page, perPage: request.query.per_page };
      const found = await appPriorAttainment(services, access, page, request.id);
      setPageHeaders(request, reply, page, found.total);
      return sendConditional(request, reply, found.rows);
    },
  );

  app.delete(
    '/api/apps/v1/authorisation',
    {
      config: config('app:any'),
      onRequest: token,
      schema: {
        summary: 'The app withdraws its own access to the school (deauthorise)',
        tags: ['app API'],
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const access = appAccessOf(request);
      await revokeAuthorisation(services, {
        schoolId: access.schoolId,
        authorisationId: access.authorisationId,
        by: { type: 'app', id: access.clientId },
        requestId: request.id,
      });
      return reply.status(204).send(null);
    },
  );
};
