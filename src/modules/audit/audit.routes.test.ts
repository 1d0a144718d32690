import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { auditCsv } from './audit.service.ts';

const fixture = useTestApp();

async function schoolWithAdmin() {
  const school = await buildSchool(fixture.services);
  const admin = await buildUser(fixture.services, 'school_admin', school.id);
  return { school, admin, cookie: await signInAs(fixture.app, admin.email) };
}

const get = (url: string, cookie?: string) =>
  fixture.app.inject({ method: 'GET', url, headers: cookie === undefined ? {} : { cookie } });

describe('GET /api/v1/schools/:schoolId/audit-events', () => {
  test('401 without a session', async () => {
    const { school } = await schoolWithAdmin();
    assert.equal((await get(`/api/v1/schools/${school.id}/audit-events`)).statusCode, 401);
    assert.equal((await get(`/api/v1/schools/${school.id}/audit-events.csv`)).statusCode, 401);
  });

  test("404 for an admin of another school, with none of that school's events", async () => {
    const { school } = await schoolWithAdmin();
    const other = await schoolWithAdmin();
    for (const url of [
      `/api/v1/schools/${school.id}/audit-events`,
      `/api/v1/schools/${school.id}/audit-events.csv`,
    ]) {
      const response = await get(url, other.cookie);
      assert.equal(response.statusCode, 404);
      assert.ok(!response.body.includes(school.id), 'the body names nothing of the other school');
    }
  });

  test('403 for a role in the school without audit.read (a teacher)', async () => {
    const { school } = await schoolWithAdmin();
    const teacher = await buildUser(fixture.services, 'teacher', school.id);
    const cookie = await signInAs(fixture.app, teacher.email);
    assert.equal((await get(`/api/v1/schools/${school.id}/audit-events`, cookie)).statusCode, 403);
  });

  test('the school admin reads the log newest first, filters it, and the read is itself recorded', async () => {
    const { school, cookie } = await schoolWithAdmin();
    const pupil = crypto.randomUUID();
    await fixture.services.db.withSchool(school.id, async (trx) => {
      await recordAudit(trx, {
        orgId: school.id,
        actor: { type: 'user', id: 'u-1' },
        action: 'pupils.read',
        subjectIds: [pupil],
      });
      await recordAudit(trx, {
        orgId: school.id,
        actor: { type: 'user', id: 'u-2' },
        action: 'imports.commit',
      });
    });
    const all = (await get(`/api/v1/schools/${school.id}/audit-events`, cookie)).json<{
      events: Array<{ seq: number; action: string }>;
      total: number;
    }>();
    assert.deepEqual(
      all.events.map((event) => event.action),
      ['imports.commit', 'pupils.read', 'school.created'],
    );
    const byPupil = (await get(`/api/v1/schools/${school.id}/audit-events?pupil=${pupil}`, cookie)).json<{
      events: Array<{ action: string }>;
    }>();
    assert.deepEqual(
      byPupil.events.map((event) => event.action),
      ['pupils.read'],
    );
    const byPrefix = (await get(`/api/v1/schools/${school.id}/audit-events?action=audit.`, cookie)).json<{
      events: Array<{ action: string }>;
    }>();
    assert.deepEqual(
      byPrefix.events.map((event) => event.action),
      ['audit.read', 'audit.read'],
    );
    const paged = (
      await get(`/api/v1/schools/${school.id}/audit-events?perPage=1&page=2&actor=u-1`, cookie)
    ).json<{ events: unknown[]; total: number }>();
    assert.deepEqual([paged.events.length, paged.total], [0, 1]);
  });

  test('bad filters are a 400 naming the field', async () => {
    const { school, cookie } = await schoolWithAdmin();
    const response = await get(
      `/api/v1/schools/${school.id}/audit-events?from=yesterday&perPage=9999`,
      cookie,
    );
    assert.equal(response.statusCode, 400);
    const fields = response
      .json<{ fields: Array<{ field: string }> }>()
      .fields.map((field) => field.field)
      .sort();
    assert.deepEqual(fields, ['query.from', 'query.perPage']);
  });

  test('CSV export downloads with a header row', async () => {
    const { school, cookie } = await schoolWithAdmin();
    const response = await get(`/api/v1/schools/${school.id}/audit-events.csv`, cookie);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/csv/);
    assert.match(String(response.headers['content-disposition']), /attachment; filename="audit-events.csv"/);
    assert.match(
      response.body,
      /^seq,occurredAt,actorType,actorId,action,outcome,target,subjectIds,requestId,details\r\n/,
    );
    assert.match(response.body, /school\.created/);
  });
});

describe('auditCsv', () => {
  test('quotes separators and defuses spreadsheet formulas', () => {
    const csv = auditCsv([
      {
        seq: 1,
        id: 'x',
        occurredAt: '2026-11-22T00:00:00.000Z',
        actorType: 'user',
        actorId: '=HYPERLINK("x")',
        action: 'a.b',
        outcome: 'success',
        target: 'a,b',
        subjectIds: [],
        requestId: null,
        details: { note: 'x' },
      },
    ]);
    const line = csv.split('\r\n')[1] ?? '';
    assert.ok(line.includes(`"'=HYPERLINK(""x"")"`));
    assert.ok(line.includes('"a,b"'));
  });
});
