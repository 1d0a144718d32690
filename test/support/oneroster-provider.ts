import Fastify, { type FastifyInstance } from 'fastify';

// A small OneRoster 1.2 REST provider for tests, shaped after the 1EdTech OpenAPI description of the
// Rostering Service (REST/JSON binding 1.2): OAuth 2.0 client credentials at /token; collections under
// /ims/oneroster/rostering/v1p2 wrapped in their plural key ({"users": [...]}), paged by limit/offset
// with X-Total-Count, and `filter=dateLastModified>'…'` honoured. It records what it was asked.

export interface ProviderRecord {
  sourcedId: string;
  status: 'active' | 'tobedeleted';
  dateLastModified: string;
  [field: string]: unknown;
}

export interface OneRosterProvider {
  url: string;
  tokenUrl: string;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  data: Record<'students' | 'classes' | 'courses' | 'enrollments' | 'demographics', ProviderRecord[]>;
  /** Every collection request's path and query string. */
  requests: string[];
  close(): Promise<void>;
}

const KEYS = {
  students: 'users',
  classes: 'classes',
  courses: 'courses',
  enrollments: 'enrollments',
  demographics: 'demographics',
} as const;

export async function startOneRosterProvider(data: OneRosterProvider['data']): Promise<OneRosterProvider> {
  const app: FastifyInstance = Fastify();
  const clientId = 'haven-test-client';
  const clientSecret = 'provider-secret-123';
  const token = 'provider-access-token';
  const requests: string[] = [];
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  app.post('/token', async (request, reply) => {
    const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const body = request.body as Record<string, string>;
    if (request.headers.authorization !== expected || body.grant_type !== 'client_credentials') {
      return reply.status(401).send({ error: 'invalid_client' });
    }
    return { access_token: token, token_type: 'bearer', expires_in: 3600, scope: body.scope };
  });
  for (const [resource, key] of Object.entries(KEYS)) {
    app.get(`/ims/oneroster/rostering/v1p2/${resource}`, async (request, reply) => {
      requests.push(request.url);
      if (request.headers.authorization !== `Bearer ${token}`) {
        return reply.status(401).send({
          imsx_codeMajor: 'failure',
          imsx_severity: 'error',
          imsx_description: 'unauthorised',
        });
      }
      const query = request.query as Record<string, string | undefined>;
      const limit = Number(query.limit ?? 100);
      const offset = Number(query.offset ?? 0);
      const since = /^dateLastModified>'(.+)'$/.exec(query.filter ?? '')?.[1];
      const all = data[resource as keyof typeof KEYS].filter(
        (record) => since === undefined || record.dateLastModified > since,
      );
      void reply.header('x-total-count', String(all.length));
      return { [key]: all.slice(offset, offset + limit) };
    });
  }
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    tokenUrl: `${address}/token`,
    baseUrl: `${address}/ims/oneroster/rostering/v1p2`,
    clientId,
    clientSecret,
    data,
    requests,
    close: () => app.close(),
  };
}

/** Provider records for synthetic pupils (rows of the generator's pupils file). */
export function providerData(
  pupils: Array<{
    upn: string;
    forename: string;
    surname: string;
    dob: string;
    sex: string;
    year: string;
    form: string;
  }>,
  stamp: string,
): OneRosterProvider['data'] {
  const forms = [...new Set(pupils.map((pupil) => pupil.form))];
  return {
    students: pupils.map((pupil, index) => ({
      sourcedId: `u${index + 1}`,
      status: 'active',
      dateLastModified: stamp,
      userIds: [{ type: 'UPN', identifier: pupil.upn }],
      givenName: pupil.forename,
      familyName: pupil.surname,
      identifier: pupil.upn,
      grades: [pupil.year],
      roles: [{ roleType: 'primary', role: 'student', org: { sourcedId: 'org1', type: 'org' } }],
    })),
    classes: forms.map((form) => ({
      sourcedId: `c-${form}`,
      status: 'active',
      dateLastModified: stamp,
      title: `Form ${form}`,
      classCode: form,
      course: { sourcedId: 'course-reg', type: 'course' },
    })),
    courses: [{ sourcedId: 'course-reg', status: 'active', dateLastModified: stamp, title: 'Registration' }],
    enrollments: pupils.map((pupil, index) => ({
      sourcedId: `e${index + 1}`,
      status: 'active',
      dateLastModified: stamp,
      role: 'student',
      user: { sourcedId: `u${index + 1}`, type: 'user' },
      class: { sourcedId: `c-${pupil.form}`, type: 'class' },
    })),
    demographics: pupils.map((pupil, index) => ({
      sourcedId: `u${index + 1}`,
      status: 'active',
      dateLastModified: stamp,
      birthDate: pupil.dob,
      sex: pupil.sex === 'F' ? 'female' : 'male',
    })),
  };
}
