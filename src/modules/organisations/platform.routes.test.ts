import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { readOutbox } from '../../../test/support/services.ts';

const fixture = useTestApp();

async function operatorCookie(): Promise<string> {
  const operator = await buildUser(fixture.services, 'platform_operator', PLATFORM_ORG_ID);
  return signInAs(fixture.app, operator.email);
}

describe('platform routes', () => {
  test('the operator adds a school with its first admin, who is e-mailed a set-up link', async () => {
    const cookie = await operatorCookie();
    const before = (await readOutbox(fixture.services)).length;
    const created = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/platform/schools',
      headers: { cookie },
      payload: { name: 'Synthetic Academy', urn: '987654', adminEmail: 'first-admin@example.invalid' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const { id } = created.json<{ id: string }>();
    const mails = await readOutbox(fixture.services);
    assert.equal(mails.length, before + 1);
    assert.match(mails.at(-1) ?? '', /first-admin@example\.invalid/);
    assert.match(mails.at(-1) ?? '', /set-password#token=/);

    const list = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/platform/schools',
      headers: { cookie },
    });
    const school = list
      .json<Array<{ id: string; name: string; urn: string }>>()
      .find((entry) => entry.id === id);
    assert.deepEqual({ name: school?.name, urn: school?.urn }, { name: 'Synthetic Academy', urn: '987654' });

    const keys = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/platform/keys',
      headers: { cookie },
    });
    const status = keys.json<{
      schools: Array<{ schoolId: string; keys: Array<{ purpose: string; state: string }> }>;
    }>();
    const ours = status.schools.find((entry) => entry.schoolId === id);
    assert.ok(
      ours?.keys.some((key) => key.purpose === 'data' && key.state === 'active'),
      'the school has its keys',
    );
    assert.ok(!keys.body.includes('"material"') && !/[A-Za-z0-9+/]{43}=/.test(keys.body), 'no key material');
  });

  test('a URN already in use is refused, naming the field; nothing is created', async () => {
    const cookie = await operatorCookie();
    const first = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/platform/schools',
      headers: { cookie },
      payload: { name: 'First', urn: '123450' },
    });
    assert.equal(first.statusCode, 201);
    const count = async () =>
      (
        await fixture.app.inject({ method: 'GET', url: '/api/v1/platform/schools', headers: { cookie } })
      ).json<unknown[]>().length;
    const schools = await count();
    const again = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/platform/schools',
      headers: { cookie },
      payload: { name: 'Second', urn: '123450' },
    });
    assert.equal(again.statusCode, 409);
    assert.deepEqual(
      again.json<{ fields: Array<{ field: string }> }>().fields.map((field) => field.field),
      ['urn'],
    );
    assert.equal(await count(), schools);
  });
});
