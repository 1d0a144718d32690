import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { runJob } from '../../platform/jobs/job-runner.ts';
import { BACKUP_JOB_NAME } from './backups.jobs.ts';

const fixture = useTestApp();

async function operatorCookie(): Promise<string> {
  const operator = await buildUser(fixture.services, 'platform_operator', PLATFORM_ORG_ID);
  return signInAs(fixture.app, operator.email);
}

describe('backup routes', () => {
  test('the operator takes a backup now and sees it with its restore test', async () => {
    const cookie = await operatorCookie();
    const taken = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/platform/backups',
      headers: { cookie },
    });
    assert.equal(taken.statusCode, 201, taken.body);
    const backup = taken.json<{ id: string; fileName: string; bytes: number; sha256: string }>();
    assert.match(backup.fileName, /^haven-\d{8}T\d{9}Z\.bak$/);
    assert.match(backup.sha256, /^[0-9a-f]{64}$/);

    const listed = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/platform/backups',
      headers: { cookie },
    });
    assert.equal(listed.statusCode, 200, listed.body);
    const overview = listed.json<{
      keep: number;
      backups: Array<{ id: string; outcome: string; trigger: string; bytes: number }>;
      lastSuccessfulRestoreTest: { fileName: string; tables: number } | null;
    }>();
    assert.equal(overview.keep, 14);
    const entry = overview.backups.find((item) => item.id === backup.id);
    assert.deepEqual(
      { outcome: entry?.outcome, trigger: entry?.trigger, bytes: entry?.bytes },
      { outcome: 'succeeded', trigger: 'operator', bytes: backup.bytes },
    );
    assert.equal(overview.lastSuccessfulRestoreTest?.fileName, backup.fileName);
    assert.ok((overview.lastSuccessfulRestoreTest?.tables ?? 0) > 20);
    // Nothing of key material or any school's data is in the answer.
    assert.doesNotMatch(listed.body, /"key"|salt/);
  });

  test('a second backup while one is being taken is refused with 409', async () => {
    const cookie = await operatorCookie();
    const gate = Promise.withResolvers<Record<string, number>>();
    const running = runJob(
      fixture.services.db,
      { info: () => undefined },
      { name: BACKUP_JOB_NAME, leaseMinutes: 5, run: () => gate.promise },
    );
    // Wait for the lease to be taken.
    for (let tries = 0; tries < 50; tries += 1) {
      const busy = await fixture.services.db.withPlatform('test: lease', (trx) =>
        trx
          .selectFrom('job_runs')
          .select('id')
          .where('name', '=', BACKUP_JOB_NAME)
          .where('status', '=', 'running')
          .executeTakeFirst(),
      );
      if (busy !== undefined) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const refused = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/platform/backups',
      headers: { cookie },
    });
    gate.resolve({});
    await running;
    assert.equal(refused.statusCode, 409, refused.body);
    assert.match(refused.json<{ message: string }>().message, /being taken right now/);
  });

  test('no session: 401; a school administrator: 403', async () => {
    const school = await buildSchool(fixture.services);
    const admin = await signInAs(
      fixture.app,
      (await buildUser(fixture.services, 'school_admin', school.id)).email,
    );
    for (const method of ['GET', 'POST'] as const) {
      const anonymous = await fixture.app.inject({ method, url: '/api/v1/platform/backups' });
      assert.equal(anonymous.statusCode, 401);
      const forbidden = await fixture.app.inject({
        method,
        url: '/api/v1/platform/backups',
        headers: { cookie: admin },
      });
      assert.equal(forbidden.statusCode, 403);
    }
  });
});
