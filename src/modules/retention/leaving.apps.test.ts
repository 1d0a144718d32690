// Leaving Haven ends every app's access at once: a token that read the school's data a moment ago is
// refused on its next request, before any data is deleted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useOAuthFixture } from '../../../test/support/oauth-fixture.ts';
import { leaveHaven } from './leaving.service.ts';

const fixture = useOAuthFixture({
  pupils: 3,
  scopes: [{ scope: 'students.basic', required: true, reason: 'To list pupils in each class' }],
});

describe('leaving Haven and apps', () => {
  test('every app token stops working when the school leaves', async () => {
    const token = await fixture.accessToken(['students.basic']);
    const before = await fixture.api('/students', token);
    assert.equal(before.status, 200);
    const leaving = await leaveHaven(fixture.services, fixture.school.id, { type: 'user', id: 'test' });
    assert.equal(leaving.appsRevoked, 1);
    const after = await fixture.api('/students', token);
    assert.equal(after.status, 401);
  });
});
