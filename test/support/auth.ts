import type { HavenApp } from '../../src/app.ts';
import { createUser } from '../../src/modules/organisations/users.service.ts';
import type { Services } from '../../src/services.ts';

export const TEST_PASSWORD = 'correct horse battery staple';
let sequence = 0;

/** A new staff account with one role (synthetic address). */
export async function buildUser(
  services: Services,
  role: string,
  orgId: string,
): Promise<{ id: string; email: string }> {
  sequence += 1;
  const email = `staff-${process.pid}-${sequence}@example.invalid`;
  const created = await createUser(
    services,
    { email, role, orgId, password: TEST_PASSWORD },
    { type: 'system', id: 'test' },
  );
  return { id: created.id, email };
}

/** Signs in through the real route; returns the Cookie header value for later requests. */
export async function signInAs(app: HavenApp, email: string, password = TEST_PASSWORD): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
  });
  if (response.statusCode !== 200) {
    throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  }
  const cookie = response.cookies.find((entry) => entry.name === 'haven_session');
  if (cookie === undefined) {
    throw new Error('sign-in set no session cookie');
  }
  return `haven_session=${cookie.value}`;
}
