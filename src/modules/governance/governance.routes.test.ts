// Data protection records over HTTP: the record of processing follows what a school imports, the
// evidence report and its HTML file carry counts and roles but no pupil, and the operator's versions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { importCsvLines } from '../../../test/support/imports.ts';
import { PUPIL_HEADER, pupilRow, syntheticUpn } from '../../../test/support/pupil-files.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { runImport } from '../imports/imports.service.ts';
import { bufferSource } from '../imports/source.ts';

const fixture = useTestApp();

interface Ropa {
  categories: Array<{ id: string; sensitivity: string; records: number }>;
  notHeld: Array<{ id: string }>;
  processor: { name: string | null };
  transfers: { storage: { code: string } | null; statement: string };
  retention: Array<{ rule: string; period: string }>;
}

async function setUp() {
  const school = await buildSchool(fixture.services);
  const dpo = await signInAs(fixture.app, (await buildUser(fixture.services, 'dpo', school.id)).email);
  return { school, dpo, url: `/api/v1/schools/${school.id}/governance` };
}

async function ropaOf(url: string, cookie: string): Promise<{ ids: string[]; record: Ropa; body: string }> {
  const response = await fixture.app.inject({ method: 'GET', url: `${url}/ropa`, headers: { cookie } });
  assert.equal(response.statusCode, 200, response.body);
  const record = response.json<Ropa>();
  return { ids: record.categories.map((category) => category.id), record, body: response.body };
}

/** A CTF file giving pupil 1 an address: the CSV templates have no address column, CTF does. */
async function importAddress(schoolId: string): Promise<void> {
  const pupil = `<Pupil><UPN>${syntheticUpn(1)}</UPN><Surname>Xvsurname1</Surname><Forename>Zqforename1</Forename><DOB>2010-02-11</DOB><Gender>M</Gender><Address><AddressLines><AddressLine>1 Qwerty Lane</AddressLine></AddressLines><PostCode>ZZ1 1ZZ</PostCode></Address></Pupil>`;
  const xml = `<?xml version="1.0"?><CTfile><Header><CTFversion>17.0</CTFversion><DateTime>2026-06-01T09:00:00</DateTime><SourceSchool><URN>100000</URN></SourceSchool></Header><CTFpupilData>${pupil}</CTFpupilData></CTfile>`;
  const outcome = await runImport(fixture.services, {
    schoolId,
    source: bufferSource('pupils.xml', Buffer.from(xml, 'utf8')),
    options: { pseudonymousUpn: false, noNames: false },
    actor: { type: 'system', id: 'test' },
    dryRun: false,
  });
  assert.equal(outcome.status, 'committed', JSON.stringify(outcome.report.errors));
}

describe('the record of processing activities', () => {
  test('ROPA lists a field once a school starts importing it', async () => {
    const { school, dpo, url } = await setUp();
    assert.deepEqual((await ropaOf(url, dpo)).ids, [], 'a new school holds nothing');

    await importCsvLines(fixture.services, school.id, [
      'upn,forename,surname,year_group,sex',
      `${syntheticUpn(1)},Zqforename1,Xvsurname1,11,M`,
      `${syntheticUpn(2)},Zqforename2,Xvsurname2,11,F`,
    ]);
    const first = await ropaOf(url, dpo);
    assert.deepEqual(first.ids, ['names', 'upn', 'year_group', 'sex']);
    for (const absent of ['dob', 'address', 'ethnicity', 'sen', 'ks2', 'results']) {
      assert.ok(
        first.record.notHeld.some((category) => category.id === absent),
        absent,
      );
    }

    await importCsvLines(fixture.services, school.id, [PUPIL_HEADER, pupilRow(1), pupilRow(2)]);
    const second = await ropaOf(url, dpo);
    for (const present of ['dob', 'ethnicity', 'fsm', 'sen', 'ks2', 'classes']) {
      assert.ok(second.ids.includes(present), present);
    }
    assert.ok(!second.ids.includes('address'), 'no address column yet');
    const ethnicity = second.record.categories.find((category) => category.id === 'ethnicity');
    assert.deepEqual(ethnicity && [ethnicity.sensitivity, ethnicity.records], ['special_category', 2]);

    await importAddress(school.id);
    const third = await ropaOf(url, dpo);
    assert.equal(third.record.categories.find((category) => category.id === 'address')?.records, 1);
    assert.ok(!/Zqforename|Xvsurname|Qwerty|ZZ1/.test(third.body), 'no pupil data in the record');
  });

  test('states the processor, the region and transfer position, and the retention rules; the read is audited', async () => {
    const { school, dpo, url } = await setUp();
    const { record } = await ropaOf(url, dpo);
    assert.equal(record.processor.name, 'Haven Test Operator Ltd');
    assert.equal(record.transfers.storage?.code, 'GB');
    assert.match(record.transfers.statement, /The database is in United Kingdom \(GB\), test machine/);
    assert.match(record.transfers.statement, /backup region is not declared \(HAVEN_BACKUP_REGION\)/);
    assert.equal(record.retention.find((rule) => rule.rule === 'pupil_age')?.period, 'at age 25');
    const events = await fixture.services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('audit_events').select('action').where('org_id', '=', school.id).execute(),
    );
    assert.ok(events.some((event) => event.action === 'governance.ropa_read'));
  });

  test('refuses without a session (401), from another school (404), and without privacy.manage (403)', async () => {
    const { url } = await setUp();
    const other = await buildSchool(fixture.services);
    const stranger = await signInAs(fixture.app, (await buildUser(fixture.services, 'dpo', other.id)).email);
    const { school } = await setUp();
    const teacher = await signInAs(
      fixture.app,
      (await buildUser(fixture.services, 'teacher', school.id)).email,
    );
    for (const path of ['ropa', 'evidence', 'evidence.html']) {
      assert.equal((await fixture.app.inject({ method: 'GET', url: `${url}/${path}` })).statusCode, 401);
      const foreign = await fixture.app.inject({
        method: 'GET',
        url: `${url}/${path}`,
        headers: { cookie: stranger },
      });
      assert.equal(foreign.statusCode, 404);
      const mine = `/api/v1/schools/${school.id}/governance/${path}`;
      assert.equal(
        (await fixture.app.inject({ method: 'GET', url: mine, headers: { cookie: teacher } })).statusCode,
        403,
      );
    }
  });
});

describe('the compliance evidence report', () => {
  test('shows encryption coverage, the access review and two-factor, with no pupil data; downloads as HTML', async () => {
    const { school, dpo, url } = await setUp();
    await importCsvLines(fixture.services, school.id, [PUPIL_HEADER, pupilRow(1), pupilRow(2), pupilRow(3)]);
    const response = await fixture.app.inject({
      method: 'GET',
      url: `${url}/evidence`,
      headers: { cookie: dpo },
    });
    assert.equal(response.statusCode, 200, response.body);
    const evidence = response.json<{
      encryption: { fields: Array<{ column: string; values: number }>; pupilKeys: number; keys: unknown[] };
      access: Array<{ roles: string[] }>;
      twoFactor: { staff: number; withTwoFactor: number };
      requests: { total: number };
      supportGrants: unknown[];
    }>();
    assert.equal(evidence.encryption.fields.find((field) => field.column === 'dob')?.values, 3);
    assert.equal(evidence.encryption.pupilKeys, 3);
    assert.ok(evidence.encryption.keys.length >= 2, 'data and index keys');
    assert.deepEqual(
      evidence.access.map((member) => member.roles),
      [['dpo']],
    );
    assert.deepEqual(evidence.twoFactor, { staff: 1, withTwoFactor: 0, required: false });
    assert.equal(evidence.requests.total, 0);
    assert.deepEqual(evidence.supportGrants, [], 'no support access granted');
    assert.ok(!/Zqforename|Xvsurname/.test(response.body));

    const file = await fixture.app.inject({
      method: 'GET',
      url: `${url}/evidence.html`,
      headers: { cookie: dpo },
    });
    assert.equal(file.statusCode, 200);
    assert.match(String(file.headers['content-type']), /^text\/html/);
    assert.match(
      String(file.headers['content-disposition']),
      /^attachment; filename="haven-evidence-\d{4}-\d{2}-\d{2}\.html"$/,
    );
    assert.match(file.body, /<caption>Encrypted fields<\/caption>/);
    assert.ok(file.body.includes(school.name.replace(/&/g, '&amp;')));
    assert.ok(!/Zqforename|Xvsurname|<script/.test(file.body));
  });
});

describe('the operator’s records', () => {
  test('list each school’s categories by count and the platform evidence; only for the operator', async () => {
    const { school, dpo } = await setUp();
    await importCsvLines(fixture.services, school.id, [PUPIL_HEADER, pupilRow(1)]);
    const operator = await signInAs(
      fixture.app,
      (await buildUser(fixture.services, 'platform_operator', PLATFORM_ORG_ID)).email,
    );
    const ropa = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/platform/ropa',
      headers: { cookie: operator },
    });
    assert.equal(ropa.statusCode, 200, ropa.body);
    const row = ropa
      .json<{ schools: Array<{ id: string; categories: Array<{ id: string; records: number }> }> }>()
      .schools.find((entry) => entry.id === school.id);
    assert.equal(row?.categories.find((category) => category.id === 'dob')?.records, 1);
    assert.ok(!/Zqforename|Xvsurname/.test(ropa.body));
    const evidence = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/platform/evidence',
      headers: { cookie: operator },
    });
    assert.equal(evidence.statusCode, 200, evidence.body);
    const mine = evidence.json<{ schools: Array<{ id: string; pupilKeys: number; staff: number }> }>()
      .schools;
    assert.deepEqual(
      mine.filter((entry) => entry.id === school.id).map(({ pupilKeys, staff }) => ({ pupilKeys, staff })),
      [{ pupilKeys: 1, staff: 1 }],
    );
    for (const path of ['ropa', 'evidence']) {
      const refused = await fixture.app.inject({
        method: 'GET',
        url: `/api/v1/platform/${path}`,
        headers: { cookie: dpo },
      });
      assert.equal(refused.statusCode, 403);
    }
  });
});
