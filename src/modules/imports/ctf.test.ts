import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildSchool } from '../../../test/support/factories.ts';
import { syntheticUpn } from '../../../test/support/pupil-files.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';
import { runImport } from './imports.service.ts';
import { bufferSource } from './source.ts';
import { ctfDocument } from './synthetic-formats.ts';
import { syntheticSchool } from './synthetic.ts';

let services: TestServices;
before(async () => {
  services = await createTestServices();
});
after(async () => {
  await services.close();
});

function importCtf(schoolId: string, xml: string) {
  return runImport(services, {
    schoolId,
    source: bufferSource('pupils.xml', Buffer.from(xml, 'utf8')),
    options: { pseudonymousUpn: false, noNames: false },
    actor: { type: 'system', id: 'test' },
    dryRun: false,
  });
}

function ctf(
  pupils: string,
  header = '<CTFversion>17.0</CTFversion><DateTime>2026-06-01T09:00:00</DateTime>',
): string {
  return `<?xml version="1.0"?><CTfile><Header>${header}<SourceSchool><URN>100000</URN></SourceSchool></Header><CTFpupilData>${pupils}</CTFpupilData></CTfile>`;
}

function pupil(n: number, extra: string): string {
  return `<Pupil><UPN>${syntheticUpn(n)}</UPN><Surname>Xv${n}</Surname><Forename>Zq${n}</Forename><DOB>2010-01-0${n}</DOB><Gender>M</Gender>${extra}</Pupil>`;
}

function assessment(subject: string, method: string, result: string): string {
  return `<StageAssessment><Subject>${subject}</Subject><Method>${method}</Method><Result>${result}</Result></StageAssessment>`;
}

describe('CTF import', () => {
  test('a generated CTF imports every pupil with KS2, FSM and SEN; re-import changes nothing', async () => {
    const school = await buildSchool(services);
    const xml = [...ctfDocument(syntheticSchool(0, 30, 5), 0)].join('');
    const outcome = await importCtf(school.id, xml);
    assert.equal(outcome.status, 'committed', JSON.stringify(outcome.report.errors));
    assert.equal(outcome.report.format, 'pupils-ctf');
    assert.equal(outcome.written.pupils_created, 30);
    assert.equal(outcome.written.prior_attainment_written, 30);
    const again = await importCtf(school.id, xml);
    assert.equal(again.written.pupils_unchanged, 30);
  });

  test('older files say Gender; FSM is current or in the last six years; the latest SEN entry counts', async () => {
    const school = await buildSchool(services);
    const xml = ctf(
      [
        pupil(
          1,
          '<FSMhistory><FSMinstance><FSMstartDate>2024-09-01</FSMstartDate></FSMinstance></FSMhistory>',
        ),
        pupil(
          2,
          '<FSMhistory><FSMinstance><FSMstartDate>2019-01-01</FSMstartDate><FSMendDate>2021-01-01</FSMendDate></FSMinstance></FSMhistory>',
        ),
        pupil(
          3,
          '<FSMhistory><FSMinstance><FSMstartDate>2012-01-01</FSMstartDate><FSMendDate>2015-01-01</FSMendDate></FSMinstance></FSMhistory><SENhistory><SEN><StartDate>2020-01-01</StartDate><SENprovision>E</SENprovision></SEN><SEN><StartDate>2023-01-01</StartDate><SENprovision>K</SENprovision></SEN></SENhistory>',
        ),
      ].join(''),
    );
    const outcome = await importCtf(school.id, xml);
    assert.equal(outcome.status, 'committed', JSON.stringify(outcome.report.errors));
    const rows = await services.db.withSchool(school.id, (trx) =>
      trx
        .selectFrom('pupils')
        .select(['birth_month', 'sex', 'fsm', 'fsm6', 'sen'])
        .orderBy('birth_year')
        .execute(),
    );
    const byPupil = rows.map(({ sex, fsm, fsm6, sen }) => ({ sex, fsm, fsm6, sen }));
    assert.deepEqual(byPupil, [
      { sex: 'M', fsm: true, fsm6: true, sen: null },
      { sex: 'M', fsm: false, fsm6: true, sen: null },
      { sex: 'M', fsm: false, fsm6: false, sen: 'K' },
    ]);
  });

  test('KS2 codes Haven does not map, and elements it does not read, are reported, not dropped silently', async () => {
    const school = await buildSchool(services);
    const xml = ctf(
      `<Pupil><UPN>${syntheticUpn(1)}</UPN><Surname>Xv</Surname><Forename>Zq</Forename><Attendance><YearData/></Attendance><StageAssessments><KeyStage><Stage>KS2</Stage>${assessment('REA', 'TT', 'N')}${assessment('MAT', 'TT', '104')}${assessment('SCI', 'TA', 'EXS')}</KeyStage></StageAssessments></Pupil>`,
    );
    const outcome = await importCtf(school.id, xml.replace('</CTfile>', '<Extra/></CTfile>'));
    assert.equal(outcome.status, 'committed', JSON.stringify(outcome.report.errors));
    const warnings = outcome.report.warnings.map((issue) => issue.message);
    assert.ok(
      warnings.some((message) =>
        message.startsWith('KS2 SCI/TA: a KS2 assessment Haven does not map, on 1 pupil(s)'),
      ),
      warnings.join('\n'),
    );
    assert.ok(warnings.some((message) => message.startsWith('<Attendance> is not read')));
    assert.ok(warnings.some((message) => message.startsWith('<Extra> is not read')));
    const prior = await services.db.withSchool(school.id, (trx) =>
      trx
        .selectFrom('prior_attainment')
        .select(['ks2_reading_score', 'ks2_reading_outcome', 'ks2_maths_score'])
        .executeTakeFirstOrThrow(),
    );
    assert.deepEqual(prior, { ks2_reading_score: null, ks2_reading_outcome: 'N', ks2_maths_score: 104 });
  });

  test('external entities are never resolved: a DTD is refused and nothing is written', async () => {
    const school = await buildSchool(services);
    const xxe = `<?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY secret SYSTEM "file:///etc/passwd">]><CTfile><Header/><CTFpupilData><Pupil><UPN>${syntheticUpn(1)}</UPN><Surname>&secret;</Surname></Pupil></CTFpupilData></CTfile>`;
    const outcome = await importCtf(school.id, xxe);
    assert.equal(outcome.status, 'refused');
    assert.match(outcome.report.errors[0]?.message ?? '', /DTD/);
    assert.ok(!JSON.stringify(outcome.report).includes('root:'), 'no file content leaks into the report');
  });

  test('malformed XML names the line; another XML document is not taken for a CTF', async () => {
    const school = await buildSchool(services);
    const broken = await importCtf(school.id, `<?xml version="1.0"?>\n<CTfile>\n<Header>\n</CTfile>`);
    assert.equal(broken.status, 'refused');
    assert.match(broken.report.errors[0]?.message ?? '', /not well-formed at line 4/);
    const other = await importCtf(school.id, '<html><body/></html>');
    assert.match(other.report.errors[0]?.message ?? '', /root element is <html>/);
    const rows = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('pupils').select('id').execute(),
    );
    assert.equal(rows.length, 0);
  });

  test('invalid values inside a pupil are reported with their XML path', async () => {
    const school = await buildSchool(services);
    const outcome = await importCtf(
      school.id,
      ctf(
        `<Pupil><UPN>${syntheticUpn(1)}</UPN><Surname>Xv</Surname><Forename>Zq</Forename><BasicDetails><Ethnicity>ZZZZ</Ethnicity></BasicDetails></Pupil>`,
      ),
    );
    assert.equal(outcome.status, 'refused');
    assert.deepEqual(
      outcome.report.errors.map(({ path, value }) => ({ path, value })),
      [{ path: '/CTfile/CTFpupilData/Pupil[1]/BasicDetails/Ethnicity', value: 'ZZZZ' }],
    );
  });
});
