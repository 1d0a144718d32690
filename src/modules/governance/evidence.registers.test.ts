// The evidence report's backups and breaches over HTTP: a backup and its restore tests show in every
// school's report (they are the platform's); a breach notice shows in the report of the school it was
// sent to, acknowledged or not, and in no other school's; the operator's report counts the register.
// Never the breach's text, nor a backup's file name.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import { testRestore } from '../retention/backup-verify.service.ts';
import { takeBackup } from '../retention/backups.service.ts';
import { DESCRIPTION, useBreachFixture } from './breaches.test-support.ts';

const { fixture, call, operatorCookie, schoolWithDpo, recordBreach } = useBreachFixture();

interface Backups {
  lastSuccessfulBackup: string | null;
  lastSevenDays: { succeeded: number; failed: number };
  lastRestoreTest: { testedAt: string; outcome: string } | null;
  lastSuccessfulRestoreTest: string | null;
}

interface SchoolReport {
  backups: Backups;
  breaches: {
    notices: Array<{
      id: string;
      reference: string;
      kind: string;
      sentAt: string;
      acknowledged: boolean;
      acknowledgedAt: string | null;
    }>;
  };
}

interface Figures {
  total: number;
  open: number;
  closed: number;
  ico: { notified: number; notNotified: number; pending: number };
  schools: { targetHours: number; toldOnTime: number; toldLate: number; waiting: number; overdue: number };
}

async function schoolReport(schoolId: string, cookie: string) {
  const response = await call('GET', `/api/v1/schools/${schoolId}/governance/evidence`, cookie);
  assert.equal(response.statusCode, 200, response.body);
  return { report: response.json<SchoolReport>(), body: response.body };
}

async function schoolFile(schoolId: string, cookie: string): Promise<string> {
  const response = await call('GET', `/api/v1/schools/${schoolId}/governance/evidence.html`, cookie);
  assert.equal(response.statusCode, 200);
  return response.body;
}

async function platformReport(cookie: string) {
  const response = await call('GET', '/api/v1/platform/evidence', cookie);
  assert.equal(response.statusCode, 200, response.body);
  return { report: response.json<{ backups: Backups; breaches: Figures }>(), body: response.body };
}

describe('backups in the evidence report', () => {
  test('a backup and its restore tests show, a failed test in words beside the last good one', async () => {
    const { school, cookie } = await schoolWithDpo();
    const operator = await operatorCookie();
    const before = (await schoolReport(school.id, cookie)).report.backups;
    assert.deepEqual(before, {
      lastSuccessfulBackup: null,
      lastSevenDays: { succeeded: 0, failed: 0 },
      lastRestoreTest: null,
      lastSuccessfulRestoreTest: null,
    });
    assert.match(await schoolFile(school.id, cookie), /Last successful backup: never\./);

    const file = path.join(await mkdtemp(path.join(tmpdir(), 'haven-evidence-')), 'evidence.bak');
    const started = Date.now();
    const taken = await takeBackup(fixture.services, { trigger: 'cli', actor: SYSTEM_ACTOR, file });
    await testRestore(fixture.services, file, SYSTEM_ACTOR);
    const { report, body } = await schoolReport(school.id, cookie);
    assert.ok(report.backups.lastSuccessfulBackup !== null);
    assert.ok(Date.parse(report.backups.lastSuccessfulBackup) >= started - 5_000);
    assert.deepEqual(report.backups.lastSevenDays, { succeeded: 1, failed: 0 });
    assert.equal(report.backups.lastRestoreTest?.outcome, 'succeeded');
    assert.equal(report.backups.lastSuccessfulRestoreTest, report.backups.lastRestoreTest?.testedAt);
    assert.ok(!body.includes(taken.sha256) && !body.includes('evidence.bak'), 'no checksum or file name');

    await writeFile(`${file}.cut`, (await readFile(file)).subarray(0, 1000));
    await assert.rejects(testRestore(fixture.services, `${file}.cut`, SYSTEM_ACTOR));
    const platform = (await platformReport(operator)).report.backups;
    assert.equal(platform.lastRestoreTest?.outcome, 'failed');
    assert.equal(platform.lastSuccessfulRestoreTest, report.backups.lastSuccessfulRestoreTest);
    const html = await schoolFile(school.id, cookie);
    assert.match(html, /Backups in the last 7 days: 1 succeeded, 0 failed\./);
    assert.match(html, /Last restore test: failed on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\./);
  });
});

describe('breaches in the evidence report', () => {
  test('the school sees the notices it was sent and its acknowledgement; another school sees none', async () => {
    const operator = await operatorCookie();
    const mine = await schoolWithDpo();
    const other = await schoolWithDpo();
    const breach = await recordBreach(operator, [mine.school.id]);
    const sent = await call('POST', `/api/v1/platform/breaches/${breach.id}/notices`, operator);
    assert.equal(sent.statusCode, 200, sent.body);

    const first = (await schoolReport(mine.school.id, mine.cookie)).report.breaches.notices;
    assert.equal(first.length, 1);
    assert.deepEqual(
      { ...first[0], id: undefined, sentAt: undefined },
      {
        id: undefined,
        sentAt: undefined,
        reference: breach.reference,
        kind: 'notice',
        acknowledged: false,
        acknowledgedAt: null,
      },
    );
    const noticeId = first[0]?.id ?? '';
    const acknowledged = await call(
      'POST',
      `/api/v1/schools/${mine.school.id}/breach-notices/${noticeId}/acknowledge`,
      mine.cookie,
    );
    assert.equal(acknowledged.statusCode, 200, acknowledged.body);

    const { report, body } = await schoolReport(mine.school.id, mine.cookie);
    const [notice] = report.breaches.notices;
    assert.equal(notice?.acknowledged, true);
    assert.ok(notice.acknowledgedAt !== null && notice.acknowledgedAt >= notice.sentAt);
    assert.ok(!body.includes('Zqsecret') && !body.includes(DESCRIPTION), 'never the breach’s text');
    const html = await schoolFile(mine.school.id, mine.cookie);
    assert.match(html, new RegExp(`<td>${breach.reference}</td><td>Notice of a breach</td>`));
    assert.match(html, /<td>Acknowledged \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC<\/td>/);
    assert.ok(!html.includes('Zqsecret'));

    const theirs = await schoolReport(other.school.id, other.cookie);
    assert.deepEqual(theirs.report.breaches.notices, []);
    assert.ok(!theirs.body.includes(breach.reference));
    assert.ok(!(await schoolFile(other.school.id, other.cookie)).includes(breach.reference));
  });

  test('the operator’s report counts the register: status, ICO decisions, schools told against 24 hours', async () => {
    const operator = await operatorCookie();
    const { school } = await schoolWithDpo();
    const waiting = await schoolWithDpo();
    const before = (await platformReport(operator)).report.breaches;

    const late = await recordBreach(operator, [school.id], {
      awareAt: new Date(Date.now() - 30 * 3_600_000).toISOString(),
    });
    assert.equal(
      (await call('POST', `/api/v1/platform/breaches/${late.id}/notices`, operator)).statusCode,
      200,
    );
    const onTime = await recordBreach(operator, [school.id]);
    assert.equal(
      (await call('POST', `/api/v1/platform/breaches/${onTime.id}/notices`, operator)).statusCode,
      200,
    );
    const told = await call('PUT', `/api/v1/platform/breaches/${onTime.id}/notifications`, operator, {
      ico: 'notified',
      icoToldAt: new Date(Date.now() - 3_600_000).toISOString(),
      icoReference: 'ICO-ZQ-1',
      subjects: 'not_told',
      subjectsReason: 'Unlikely to result in a high risk.',
    });
    assert.equal(told.statusCode, 204, told.body);
    const closed = await call('POST', `/api/v1/platform/breaches/${onTime.id}/close`, operator, {
      outcome: 'Contained.',
      lessons: 'Check the recipient.',
      tellSchools: false,
    });
    assert.equal(closed.statusCode, 200, closed.body);
    await recordBreach(operator, [waiting.school.id]);

    const { report, body } = await platformReport(operator);
    const after = report.breaches;
    const delta = (pick: (figures: Figures) => number) => pick(after) - pick(before);
    assert.deepEqual(
      {
        total: delta((f) => f.total),
        open: delta((f) => f.open),
        closed: delta((f) => f.closed),
        icoNotified: delta((f) => f.ico.notified),
        icoNotNotified: delta((f) => f.ico.notNotified),
        icoPending: delta((f) => f.ico.pending),
        toldOnTime: delta((f) => f.schools.toldOnTime),
        toldLate: delta((f) => f.schools.toldLate),
        waiting: delta((f) => f.schools.waiting),
        overdue: delta((f) => f.schools.overdue),
      },
      {
        total: 3,
        open: 2,
        closed: 1,
        icoNotified: 1,
        icoNotNotified: 0,
        icoPending: 2,
        toldOnTime: 1,
        toldLate: 1,
        waiting: 1,
        overdue: 0,
      },
    );
    assert.equal(after.schools.targetHours, 24);
    assert.equal(after.total, after.open + after.closed);
    assert.ok(!body.includes(late.reference) && !body.includes('Zqsecret'), 'figures only');
  });
});
