// The retention API over HTTP: the outlook a school sees, its own shorter periods (never longer),
// legal holds, certificates, leaving with the name typed, and the operator's dry run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { importCsvLines } from '../../../test/support/imports.ts';
import { PUPIL_HEADER, pupilRow, syntheticUpn } from '../../../test/support/pupil-files.ts';
import { addDays, todayInEngland } from '../../platform/calendar/working-days.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { runRetention } from './retention.service.ts';

const fixture = useTestApp();
const TODAY = todayInEngland();
// Turns 25 in thirty days' time: inside the page's 90-day outlook.
const SOON = addDays(TODAY, 30);
const DOB = `${Number(SOON.slice(0, 4)) - 25}${SOON.slice(4)}`;

interface Overview {
  rules: Array<{ id: string; inForce: number | null; schoolPeriod: number | null; inForceText: string }>;
  pupils: Array<{ pupilId: string; rule: string; dueOn: string; held: boolean }>;
  leaving: { status: string; deletionDueOn: string | null };
  school: { rule: string; dueOn: string };
  certificates: Array<{ id: string; subjects: number }>;
}

async function setUp() {
  const school = await buildSchool(fixture.services);
  await importCsvLines(fixture.services, school.id, [PUPIL_HEADER, pupilRow(1, { dob: DOB }), pupilRow(2)]);
  const pupilId = await fixture.services.db.withSchool(school.id, (trx) =>
    new SchoolVault(fixture.services.keyring, trx, school.id).lookup('upn', syntheticUpn(1)),
  );
  assert.ok(pupilId !== undefined);
  const admin = await signInAs(
    fixture.app,
    (await buildUser(fixture.services, 'school_admin', school.id)).email,
  );
  const dpo = await signInAs(fixture.app, (await buildUser(fixture.services, 'dpo', school.id)).email);
  const url = `/api/v1/schools/${school.id}/retention`;
  return { school, pupilId, admin, dpo, url };
}

describe('a school’s retention page', () => {
  test('shows who goes when and why, and the rules in force', async () => {
    const { pupilId, dpo, url } = await setUp();
    const response = await fixture.app.inject({ method: 'GET', url, headers: { cookie: dpo } });
    assert.equal(response.statusCode, 200);
    const overview = response.json<Overview>();
    assert.deepEqual(overview.pupils, [{ pupilId, rule: 'pupil_age', dueOn: SOON, held: false }]);
    assert.equal(overview.rules.find((rule) => rule.id === 'pupil_age')?.inForceText, 'at age 25');
    assert.equal(overview.leaving.status, 'active');
    assert.equal(overview.school.rule, 'school_inactivity');
    assert.ok(!response.body.includes('Zqforename1'), 'no names in the outlook');
  });

  test('a period can be shortened, never lengthened, and restored', async () => {
    const { dpo, url } = await setUp();
    const longer = await fixture.app.inject({
      method: 'PUT',
      url: `${url}/rules/school_inactivity`,
      headers: { cookie: dpo },
      payload: { period: 18 },
    });
    assert.equal(longer.statusCode, 400);
    assert.equal(longer.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, 'body.period');
    const shorter = await fixture.app.inject({
      method: 'PUT',
      url: `${url}/rules/school_inactivity`,
      headers: { cookie: dpo },
      payload: { period: 6 },
    });
    assert.equal(shorter.statusCode, 200);
    const rules = shorter.json<Overview['rules']>();
    assert.equal(rules.find((rule) => rule.id === 'school_inactivity')?.inForce, 6);
    const restored = await fixture.app.inject({
      method: 'PUT',
      url: `${url}/rules/school_inactivity`,
      headers: { cookie: dpo },
      payload: { period: null },
    });
    assert.equal(
      restored.json<Overview['rules']>().find((rule) => rule.id === 'school_inactivity')?.inForce,
      12,
    );
  });

  test('a legal hold is listed with its reason, shows in the outlook and can be released', async () => {
    const { pupilId, dpo, url } = await setUp();
    const placed = await fixture.app.inject({
      method: 'POST',
      url: `${url}/holds`,
      headers: { cookie: dpo },
      payload: { pupilId, reason: 'Claim against the school', expiresOn: addDays(TODAY, 400) },
    });
    assert.equal(placed.statusCode, 201);
    const { id } = placed.json<{ id: string }>();
    const holds = await fixture.app.inject({ method: 'GET', url: `${url}/holds`, headers: { cookie: dpo } });
    assert.deepEqual(
      holds.json<Array<{ id: string; reason: string; live: boolean; scope: string }>>().map((hold) => ({
        id: hold.id,
        reason: hold.reason,
        live: hold.live,
        scope: hold.scope,
      })),
      [{ id, reason: 'Claim against the school', live: true, scope: 'pupil' }],
    );
    const overview = (
      await fixture.app.inject({ method: 'GET', url, headers: { cookie: dpo } })
    ).json<Overview>();
    assert.equal(overview.pupils[0]?.held, true);
    const expired = await fixture.app.inject({
      method: 'POST',
      url: `${url}/holds`,
      headers: { cookie: dpo },
      payload: { reason: 'x', expiresOn: addDays(TODAY, -1) },
    });
    assert.equal(expired.statusCode, 400);
    const released = await fixture.app.inject({
      method: 'POST',
      url: `${url}/holds/${id}/release`,
      headers: { cookie: dpo },
    });
    assert.equal(released.statusCode, 204);
    const again = await fixture.app.inject({
      method: 'POST',
      url: `${url}/holds/${id}/release`,
      headers: { cookie: dpo },
    });
    assert.equal(again.statusCode, 404);
  });

  test('a certificate is readable after a run, with its digest', async () => {
    const { school, pupilId, dpo, url } = await setUp();
    await runRetention(fixture.services, {
      now: new Date(`${SOON}T12:00:00Z`),
      dryRun: false,
      schoolId: school.id,
    });
    const overview = (
      await fixture.app.inject({ method: 'GET', url, headers: { cookie: dpo } })
    ).json<Overview>();
    const [summary] = overview.certificates;
    assert.equal(summary?.subjects, 1);
    const certificate = await fixture.app.inject({
      method: 'GET',
      url: `${url}/certificates/${summary?.id ?? ''}`,
      headers: { cookie: dpo },
    });
    assert.equal(certificate.statusCode, 200);
    const body = certificate.json<{ subjects: string[]; digest: string; rule: string }>();
    assert.deepEqual(body.subjects, [pupilId]);
    assert.match(body.digest, /^[0-9a-f]{64}$/);
  });

  test('leaving needs the school’s name typed, and only a school admin may ask', async () => {
    const { school, admin, dpo, url } = await setUp();
    const byDpo = await fixture.app.inject({
      method: 'POST',
      url: `${url}/leave`,
      headers: { cookie: dpo },
      payload: { confirmName: school.name },
    });
    assert.equal(byDpo.statusCode, 403);
    const wrong = await fixture.app.inject({
      method: 'POST',
      url: `${url}/leave`,
      headers: { cookie: admin },
      payload: { confirmName: 'Some other school' },
    });
    assert.equal(wrong.statusCode, 400);
    const left = await fixture.app.inject({
      method: 'POST',
      url: `${url}/leave`,
      headers: { cookie: admin },
      payload: { confirmName: ` ${school.name.toUpperCase()} ` },
    });
    assert.equal(left.statusCode, 200);
    assert.equal(left.json<{ status: string }>().status, 'leaving');
    const overview = (
      await fixture.app.inject({ method: 'GET', url, headers: { cookie: admin } })
    ).json<Overview>();
    assert.equal(overview.school.rule, 'school_offboarding');
    const stayed = await fixture.app.inject({
      method: 'POST',
      url: `${url}/stay`,
      headers: { cookie: admin },
    });
    assert.equal(stayed.statusCode, 200);
    assert.equal(stayed.json<{ status: string }>().status, 'active');
  });
});

describe('the operator’s retention view', () => {
  test('a dry run for a day counts what would go, without pupil data', async () => {
    const { school } = await setUp();
    const operator = await buildUser(fixture.services, 'platform_operator', PLATFORM_ORG_ID);
    const cookie = await signInAs(fixture.app, operator.email);
    const dry = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/platform/retention?date=${SOON}`,
      headers: { cookie },
    });
    assert.equal(dry.statusCode, 200);
    const entry = dry
      .json<{ schools: Array<{ schoolId: string; pupilsDue: number }> }>()
      .schools.find((row) => row.schoolId === school.id);
    assert.equal(entry?.pupilsDue, 1);
    assert.ok(!dry.body.includes('Zqforename'), 'no names');
    const past = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/platform/retention?date=${addDays(TODAY, -3)}`,
      headers: { cookie },
    });
    assert.equal(past.statusCode, 400);
  });
});
