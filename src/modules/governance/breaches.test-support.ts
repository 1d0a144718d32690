// Shared set-up for the breach register's tests: an operator, schools with their DPOs, and a breach
// recorded through the API. Not a test file itself (no .test.ts ending).
import assert from 'node:assert/strict';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';

export const DESCRIPTION = 'Zqsecret export of Year 11 results sent to the wrong school.';

export function useBreachFixture() {
  const fixture = useTestApp();

  function call(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    cookie: string,
    payload?: Record<string, unknown>,
  ) {
    return fixture.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload }),
    });
  }

  async function operatorCookie(): Promise<string> {
    const operator = await buildUser(fixture.services, 'platform_operator', PLATFORM_ORG_ID);
    return signInAs(fixture.app, operator.email);
  }

  /** A school with its DPO signed in. */
  async function schoolWithDpo() {
    const school = await buildSchool(fixture.services);
    const dpo = await buildUser(fixture.services, 'dpo', school.id);
    return { school, dpo, cookie: await signInAs(fixture.app, dpo.email) };
  }

  async function recordBreach(cookie: string, schoolIds: string[], overrides: Record<string, unknown> = {}) {
    const response = await call('POST', '/api/v1/platform/breaches', cookie, {
      awareAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      nature: 'confidentiality',
      description: DESCRIPTION,
      peopleCategories: ['pupils'],
      dataCategories: ['identity', 'attainment'],
      approxPeople: 120,
      approxRecords: 480,
      schoolIds,
      consequences: 'Results could be seen by staff of another school.',
      measuresTaken: 'The file was deleted by its recipient.',
      contact: 'Haven DPO, dpo@haven.example',
      ...overrides,
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<{ id: string; reference: string }>();
  }

  return { fixture, call, operatorCookie, schoolWithDpo, recordBreach };
}
