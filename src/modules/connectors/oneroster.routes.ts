import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { AppApiError, appAccessOf, needScope, requireAppToken, type AppAccess } from '../apps/app-tokens.ts';
import type { OAuthServer } from '../apps/oauth/provider.ts';
import {
  rosterClasses,
  rosterCourses,
  rosterDemographics,
  rosterEnrollments,
  rosterOrgs,
  rosterSessions,
  rosterUsers,
} from './oneroster-out.service.ts';
import { applyQuery, linkHeader, OneRosterError, type OneRosterRecord } from './oneroster-query.ts';

// OneRoster 1.2 out (1EdTech Rostering Service REST/JSON binding, read-only): rostering tools that
// already speak OneRoster read Haven with an app token a school approved. Each collection needs the
// Haven scope that covers it; paging, filter, sort and fields follow the binding, and errors use its
// status info set (imsx_codeMajor, imsx_severity, imsx_description, imsx_CodeMinor).

export const ONEROSTER_BASE = '/ims/oneroster/rostering/v1p2';

type Load = (services: Services, access: AppAccess, requestId: string) => Promise<OneRosterRecord[]>;

const BASE_FIELDS = ['sourcedId', 'status', 'dateLastModified'];
const COLLECTIONS: Array<{ path: string; key: string; scope: string; fields: string[]; load: Load }> = [
  { path: 'orgs', key: 'orgs', scope: 'school', fields: ['name', 'type', 'identifier'], load: rosterOrgs },
  {
    path: 'academicSessions',
    key: 'academicSessions',
    scope: 'school',
    fields: ['title', 'type', 'startDate', 'endDate', 'schoolYear'],
    load: async () => rosterSessions(),
  },
  ...['users', 'students'].map((path) => ({
    path,
    key: 'users',
    scope: 'students.basic',
    fields: ['enabledUser', 'givenName', 'familyName', 'roles', 'userIds', 'identifier', 'grades'],
    load: rosterUsers,
  })),
  {
    path: 'demographics',
    key: 'demographics',
    scope: 'students.basic',
    fields: ['birthDate', 'sex'],
    load: rosterDemographics,
  },
  {
    path: 'classes',
    key: 'classes',
    scope: 'classes',
    fields: ['title', 'classCode', 'classType', 'course', 'school', 'terms', 'grades'],
    load: rosterClasses,
  },
  {
    path: 'courses',
    key: 'courses',
    scope: 'classes',
    fields: ['title', 'courseCode', 'org'],
    load: rosterCourses,
  },
  {
    path: 'enrollments',
    key: 'enrollments',
    scope: 'classes',
    fields: ['role', 'primary', 'user', 'class', 'school'],
    load: rosterEnrollments,
  },
];

const Query = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
  filter: Type.Optional(Type.String({ maxLength: 500 })),
  sort: Type.Optional(Type.String({ maxLength: 100 })),
  orderBy: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  fields: Type.Optional(Type.String({ maxLength: 500 })),
});

const StatusInfo = Type.Object({
  imsx_codeMajor: Type.String(),
  imsx_severity: Type.String(),
  imsx_description: Type.String(),
  imsx_CodeMinor: Type.Object({
    imsx_codeMinorField: Type.Array(
      Type.Object({ imsx_codeMinorFieldName: Type.String(), imsx_codeMinorFieldValue: Type.String() }),
    ),
  }),
});

function statusInfo(reply: FastifyReply, status: number, codeMinor: string, description: string) {
  return reply.status(status).send({
    imsx_codeMajor: 'failure',
    imsx_severity: 'error',
    imsx_description: description,
    imsx_CodeMinor: {
      imsx_codeMinorField: [
        { imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: codeMinor },
      ],
    },
  });
}

const MINOR_OF_APP_ERROR: Record<string, string> = {
  invalid_token: 'unauthorisedrequest',
  insufficient_scope: 'forbidden',
  not_found: 'unknownobject',
  invalid_request: 'invalid_data',
  rate_limited: 'server_busy',
};

export const oneRosterRoutes: FastifyPluginAsyncTypebox<{ services: Services; server: OAuthServer }> = async (
  app,
  { services, server },
) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof OneRosterError) {
      return statusInfo(reply, error.status, error.codeMinor, error.message);
    }
    if (error instanceof AppApiError) {
      if (error.status === 401) {
        void reply.header('www-authenticate', `Bearer error="${error.code}"`);
      }
      return statusInfo(reply, error.status, MINOR_OF_APP_ERROR[error.code] ?? 'invalid_data', error.message);
    }
    if (error.validation !== undefined) {
      return statusInfo(reply, 400, 'invalid_data', error.message);
    }
    if (error.statusCode === 429) {
      return statusInfo(reply, 429, 'server_busy', 'Too many requests: slow down and retry later.');
    }
    request.log.error({ err: error }, 'OneRoster request failed');
    return statusInfo(reply, 500, 'internal_server_error', 'Haven could not answer. Try again later.');
  });
  const token = requireAppToken(services, server);
  const rateLimit = { max: services.auth.appRatePerFiveMinutes, timeWindow: '5 minutes' };

  for (const collection of COLLECTIONS) {
    const fields = [...BASE_FIELDS, ...collection.fields];
    app.get(
      `${ONEROSTER_BASE}/${collection.path}`,
      {
        config: { access: `app:${collection.scope}`, rateLimit },
        onRequest: token,
        schema: {
          summary: `OneRoster 1.2: all ${collection.path} (needs the ${collection.scope} scope)`,
          tags: ['OneRoster 1.2'],
          security: [{ oauth2: [collection.scope] }],
          querystring: Query,
          response: {
            200: Type.Object({ [collection.key]: Type.Array(Type.Record(Type.String(), Type.Unknown())) }),
            400: StatusInfo,
            401: StatusInfo,
            403: StatusInfo,
            429: StatusInfo,
          },
        },
      },
      async (request, reply) => {
        const access = appAccessOf(request);
        needScope(access, collection.scope);
        const records = await collection.load(services, access, request.id);
        const found = applyQuery(records, fields, request.query);
        const url = new URL(request.url, 'http://haven.invalid');
        void reply.header('x-total-count', String(found.total));
        void reply.header('link', linkHeader(url, found.total, found.limit, found.offset));
        return { [collection.key]: found.page };
      },
    );
  }
};
