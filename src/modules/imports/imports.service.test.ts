import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { buildSchool } from '../../../test/support/factories.ts';
import { pupilRow, pupilsCsv, PUPIL_HEADER, syntheticUpn } from '../../../test/support/pupil-files.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';
import { before, after } from 'node:test';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { runImport, type ImportOptions } from './imports.service.ts';
import { bufferSource } from './source.ts';

let services: TestServices;
before(async () => {
  services = await createTestServices();
});
after(async () => {
  await services.close();
});

const ACTOR = { type: 'system' as const, id: 'test' };

function importText(
  schoolId: string,
  text: string | Buffer,
  options: Partial<ImportOptions> = {},
  dryRun = false,
) {
  return runImport(services, {
    schoolId,
    source: bufferSource('file.csv', Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8')),
    options: { pseudonymousUpn: false, noNames: false, ...options },
    actor: ACTOR,
    dryRun,
  });
}

async function count(schoolId: string, table: 'pupils' | 'results' | 'prior_attainment' | 'class_members') {
  const row = await services.db.withSchool(schoolId, (trx) =>
    trx
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  );
  return Number(row.n);
}

function resultsCsv(rows: string[]): string {
  return ['upn,subject,assessment_point,facet,grade', ...rows].join('\n') + '\n';
}

describe('pupils import', () => {
  test('creates pupils with encrypted identity, pseudonymised attributes, KS2 and classes', async () => {
    const school = await buildSchool(services);
    const outcome = await importText(school.id, pupilsCsv(6));
    assert.equal(outcome.status, 'committed', JSON.stringify(outcome.report.errors));
    assert.equal(outcome.written.pupils_created, 6);
    assert.equal(outcome.written.prior_attainment_written, 6);
    assert.equal(await count(school.id, 'class_members'), 6);
    const rows = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('pupils').selectAll().execute(),
    );
    const first = rows.find((row) => row.birth_month === 2 && row.birth_year === 2010);
    assert.ok(first, 'month and year of birth are kept in the clear; the date is not');
    assert.ok(!first.forename?.toString('latin1').includes('Zqforename'), 'the name is ciphertext');
    const names = await services.db.withSchool(school.id, async (trx) => {
      const vault = new SchoolVault(services.keyring, trx, school.id);
      return vault.decryptRecord('pupils', first.id, {
        forename: first.forename ?? Buffer.alloc(0),
        dob: first.dob ?? Buffer.alloc(0),
      });
    });
    assert.equal(names.forename, 'Zqforename1');
    assert.equal(names.dob, '2010-02-11');
  });

  test('re-importing the same file changes nothing; a later file updates values and records history', async () => {
    const school = await buildSchool(services);
    await importText(school.id, pupilsCsv(3));
    const again = await importText(school.id, pupilsCsv(3));
    assert.deepEqual(
      [again.written.pupils_created, again.written.pupils_updated, again.written.pupils_unchanged],
      [0, 0, 3],
    );
    const changed = [
      PUPIL_HEADER,
      pupilRow(1, { fsm: 'Y', surname: 'Xvnewname1' }),
      pupilRow(2),
      pupilRow(3),
    ].join('\n');
    const update = await importText(school.id, changed);
    assert.equal(update.written.pupils_updated, 1);
    const history = await services.db.withSchool(school.id, (trx) =>
      trx
        .selectFrom('pupil_changes')
        .select(['field', 'old_value', 'new_value', 'import_id'])
        .orderBy('field')
        .execute(),
    );
    assert.deepEqual(
      history.map(({ field, old_value, new_value }) => ({ field, old_value, new_value })),
      [
        { field: 'fsm', old_value: 'false', new_value: 'true' },
        { field: 'surname', old_value: null, new_value: null },
      ],
    );
    assert.equal(history[0]?.import_id, update.importId);
  });

  test('a file with errors is refused with row, column and rule, and nothing is written', async () => {
    const school = await buildSchool(services);
    const badUpn = `Z${syntheticUpn(2).slice(1)}`;
    const file = [
      PUPIL_HEADER,
      pupilRow(1),
      pupilRow(2, { upn: badUpn === syntheticUpn(2) ? 'A801200012002' : badUpn }),
      pupilRow(3, { dob: '31/02/2010', sex: 'X', fsm: 'maybe' }),
      pupilRow(1),
    ].join('\n');
    const outcome = await importText(school.id, file);
    assert.equal(outcome.status, 'refused');
    const errors = outcome.report.errors.map((issue) => `${issue.row}:${issue.column}:${issue.message}`);
    assert.ok(errors.includes('3:upn:upn invalid (wrong check letter at character 1)'), errors.join('\n'));
    assert.ok(errors.includes('4:dob:dob is not a real date'));
    assert.ok(errors.includes('4:sex:sex must be M or F'));
    assert.ok(errors.includes('4:fsm:fsm must be Y or N (also Yes/No, true/false, 1/0)'));
    assert.ok(errors.some((line) => line.startsWith('5:undefined:the same pupil is already on row 2')));
    assert.equal(await count(school.id, 'pupils'), 0);
    const upnIssue = outcome.report.errors.find((issue) => issue.field === 'upn');
    assert.equal(upnIssue?.value, undefined, 'identifier values never appear in the report');
    assert.equal(outcome.report.errors.find((issue) => issue.field === 'sex')?.value, 'X');
  });

  test('files that are not what they claim: empty, header only, ragged, unknown layout', async () => {
    const school = await buildSchool(services);
    const messages = async (text: string) =>
      (await importText(school.id, text)).report.errors.map((issue) => issue.message);
    assert.deepEqual(await messages(''), ['The file is empty.']);
    assert.match((await messages('\n\n'))[0] ?? '', /empty/);
    assert.match(
      (await messages(`${PUPIL_HEADER}\n${pupilRow(1)},extra,cells\n`))[0] ?? '',
      /Row 2 has 14 cells but the header names 12 columns/,
    );
    assert.match((await messages('colour,size\nred,big\n'))[0] ?? '', /no UPN column/);
    assert.match((await messages('<?xml version="1.0"?><CTfile/>'))[0] ?? '', /XML/);
    assert.equal(await count(school.id, 'pupils'), 0);
  });

  test('Windows-1252, UTF-8 with BOM and UTF-16 files are read in their own encoding', async () => {
    const school = await buildSchool(services);
    const row = pupilRow(1, { forename: 'Zoë£' });
    const text = `${PUPIL_HEADER}\n${row}\n`;
    const latin = Buffer.from(text, 'latin1');
    const windows = await importText(school.id, latin, {}, true);
    assert.equal(windows.status, 'validated');
    assert.ok(windows.report.warnings.some((issue) => /Windows-1252/.test(issue.message)));
    const bom = await importText(
      school.id,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      {},
      true,
    );
    assert.deepEqual(bom.report.errors, []);
    assert.equal(bom.report.mappedColumns.upn, 'upn', 'the BOM is not part of the first header');
    const utf16 = await importText(
      school.id,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    assert.equal(utf16.status, 'committed');
    const stored = await services.db.withSchool(school.id, async (trx) => {
      const pupil = await trx.selectFrom('pupils').select(['id', 'forename']).executeTakeFirstOrThrow();
      return new SchoolVault(services.keyring, trx, school.id).decrypt(
        { table: 'pupils', column: 'forename', rowId: pupil.id },
        pupil.forename ?? Buffer.alloc(0),
      );
    });
    assert.equal(stored, 'Zoë£');
  });

  test('an XLSX workbook imports like the CSV; formulas are not evaluated, their saved value is used', async () => {
    const school = await buildSchool(services);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Pupils');
    sheet.addRow(PUPIL_HEADER.split(','));
    sheet.addRow(pupilRow(1).split(','));
    const second = pupilRow(2).split(',');
    sheet.addRow(second);
    sheet.getCell('E3').value = { formula: 'HYPERLINK("http://evil.invalid","F")', result: 'F' };
    sheet.getCell('D3').value = new Date(Date.UTC(2010, 4, 6));
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const outcome = await runImport(services, {
      schoolId: school.id,
      source: bufferSource('pupils.xlsx', buffer),
      options: { pseudonymousUpn: false, noNames: false },
      actor: ACTOR,
      dryRun: false,
    });
    assert.equal(outcome.status, 'committed', JSON.stringify(outcome.report.errors));
    assert.equal(outcome.report.format, 'pupils-xlsx');
    const sexes = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('pupils').select(['sex', 'birth_month']).orderBy('birth_month').execute(),
    );
    assert.deepEqual(sexes, [
      { sex: 'M', birth_month: 2 },
      { sex: 'F', birth_month: 5 },
    ]);
  });

  test('calendar dates come back as the same yyyy-mm-dd text, never shifted by a time zone', async () => {
    const school = await buildSchool(services);
    const file = `upn,forename,surname,start_date,leave_date\n${syntheticUpn(7)},Zq,Xv,01/09/2021,2026-07-22\n`;
    assert.equal((await importText(school.id, file)).status, 'committed');
    const pupil = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('pupils').select(['start_date', 'leave_date']).executeTakeFirstOrThrow(),
    );
    assert.deepEqual(pupil, { start_date: '2021-09-01', leave_date: '2026-07-22' });
  });

  test('a dry run writes no pupil; pseudonymous identifiers skip the UPN rules; --no-names loads no names', async () => {
    const school = await buildSchool(services);
    const file = 'upn,forename,surname,year_group\nSCHOOL-ID-0001,Zqa,Xvb,10\n';
    const refused = await importText(school.id, file);
    assert.equal(refused.status, 'refused');
    const dry = await importText(school.id, file, { pseudonymousUpn: true }, true);
    assert.equal(dry.status, 'validated');
    assert.equal(await count(school.id, 'pupils'), 0);
    const done = await importText(school.id, file, { pseudonymousUpn: true, noNames: true });
    assert.equal(done.status, 'committed');
    const pupil = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('pupils').select(['forename', 'surname', 'identifier_kind']).executeTakeFirstOrThrow(),
    );
    assert.deepEqual(pupil, { forename: null, surname: null, identifier_kind: 'pseudonymous' });
  });
});

describe('results import', () => {
  test('subjects resolve by school names; unknown names stop the import until mapped; re-import writes nothing', async () => {
    const school = await buildSchool(services);
    await importText(school.id, pupilsCsv(2));
    const file = resultsCsv([
      `${syntheticUpn(1)},English Language,Y11 Mock,achieved,5`,
      `${syntheticUpn(1)},Comb Sci,Y11 Mock,achieved,6-5`,
      `${syntheticUpn(2)},Eng Litt,Y11 Mock,target,u`,
      `${syntheticUpn(2)},maths,Y11 Mock,prediction,7`,
    ]);
    const refused = await importText(school.id, file);
    assert.equal(refused.status, 'refused');
    assert.deepEqual(
      refused.report.errors.map((issue) => [issue.field, issue.value]),
      [['subject', 'Eng Litt']],
    );
    const mapped = await importText(school.id, file, { subjects: { 'Eng Litt': 'english_literature' } });
    assert.equal(mapped.written.results_written, 4);
    const stored = await services.db.withSchool(school.id, (trx) =>
      trx
        .selectFrom('results')
        .innerJoin('subjects', 'subjects.id', 'results.subject_id')
        .select(['subjects.code', 'subjects.pillar', 'results.grade', 'results.points', 'results.facet'])
        .orderBy('subjects.code')
        .execute(),
    );
    assert.deepEqual(stored, [
      { code: 'combined_science', pillar: 'combined_science', grade: '6-5', points: 5.5, facet: 'achieved' },
      { code: 'english_language', pillar: 'english_language', grade: '5', points: 5, facet: 'achieved' },
      { code: 'english_literature', pillar: 'english_literature', grade: 'U', points: 0, facet: 'target' },
      { code: 'maths', pillar: 'maths', grade: '7', points: 7, facet: 'prediction' },
    ]);
    const again = await importText(school.id, file);
    assert.equal(again.status, 'committed', 'the school’s name for the subject was remembered');
    assert.equal(again.written.results_written, 0);
  });

  test('results keep to their school and import without row keys: a deleted import unlinks them, a deleted school takes them', async () => {
    const school = await buildSchool(services);
    const other = await buildSchool(services);
    await importText(school.id, pupilsCsv(2));
    await importText(other.id, pupilsCsv(1));
    const file = resultsCsv([
      `${syntheticUpn(1)},Maths,Y11 Mock,achieved,5`,
      `${syntheticUpn(2)},Maths,Y11 Mock,achieved,6`,
    ]);
    const imported = await importText(school.id, file);
    await importText(other.id, resultsCsv([`${syntheticUpn(1)},Maths,Y11 Mock,achieved,4`]));
    const results = (schoolId: string) =>
      services.db.withPlatform('test: results by school', (trx) =>
        trx.selectFrom('results').select(['import_id']).where('school_id', '=', schoolId).execute(),
      );
    assert.deepEqual(await results(school.id), [
      { import_id: imported.importId },
      { import_id: imported.importId },
    ]);

    // Row-level security still keeps a result in its school: another school's id is refused.
    const [pupil] = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('results').select(['pupil_id', 'subject_id', 'assessment_point_id']).execute(),
    );
    assert.ok(pupil);
    await assert.rejects(
      services.db.withSchool(school.id, (trx) =>
        trx
          .insertInto('results')
          .values({ ...pupil, school_id: other.id, facet: 'target', grade: '5', points: 5 })
          .execute(),
      ),
      /row-level security/,
    );

    await services.db.withPlatform('test: delete an import', (trx) =>
      trx.deleteFrom('imports').where('id', '=', imported.importId).execute(),
    );
    assert.deepEqual(await results(school.id), [{ import_id: null }, { import_id: null }]);
    await services.db.withPlatform('test: delete a school', async (trx) => {
      for (const table of ['class_members', 'prior_attainment', 'pupils'] as const) {
        await trx.deleteFrom(table).where('school_id', '=', school.id).execute();
      }
    });
    assert.equal((await results(school.id)).length, 0, 'the pupils took their results');
    await services.db.withPlatform('test: delete a school', (trx) =>
      trx.deleteFrom('schools').where('id', '=', other.id).execute(),
    );
    assert.equal((await results(other.id)).length, 0, 'the school took its results');
  });

  test('grades outside the grade set, unknown pupils and conflicting rows are errors with their rows', async () => {
    const school = await buildSchool(services);
    await importText(school.id, pupilsCsv(1));
    const outcome = await importText(
      school.id,
      resultsCsv([
        `${syntheticUpn(1)},Maths,Y10,achieved,10`,
        `${syntheticUpn(1)},Combined Science,Y10,achieved,6`,
        `${syntheticUpn(99)},Maths,Y10,achieved,4`,
        `${syntheticUpn(1)},History,Y10,achieved,4`,
        `${syntheticUpn(1)},History,Y10,achieved,5`,
        `${syntheticUpn(1)},History,Y10,sideways,5`,
      ]),
    );
    assert.equal(outcome.status, 'refused');
    const byRow = outcome.report.errors.map((issue) => `${issue.row}:${issue.field}`);
    assert.deepEqual(byRow.sort(), ['2:grade', '3:grade', '4:upn', '6:grade', '7:facet'].sort());
    assert.match(outcome.report.errors.find((issue) => issue.row === 3)?.message ?? '', /9-9/);
    assert.equal(await count(school.id, 'results'), 0);
  });
});

describe('one pass: rows are written while the file is still being checked', () => {
  test('an error after whole batches were written rolls every one of them back', async () => {
    const school = await buildSchool(services);
    // 999 pupils are two write batches: the first is written before the error on the last row is read.
    const pupils = `${pupilsCsv(998)}${pupilRow(999, { sex: 'X' })}\n`;
    const refused = await importText(school.id, pupils);
    assert.equal(refused.status, 'refused');
    assert.deepEqual(
      refused.report.errors.map((issue) => `${issue.row}:${issue.field}`),
      ['1000:sex'],
    );
    assert.equal(await count(school.id, 'pupils'), 0);
    assert.equal(await count(school.id, 'class_members'), 0);

    assert.equal((await importText(school.id, pupilsCsv(600))).status, 'committed');
    // 6,000 results are more than one write batch; row 6,002 repeats row 2 with another grade.
    const subjects = ['Maths', 'History', 'Geography', 'French', 'Music', 'Drama', 'Art & Design', 'PE'];
    const points = ['Y10', 'Y11'];
    const rows: string[] = [];
    for (let n = 1; n <= 600; n += 1) {
      for (const subject of subjects) {
        rows.push(...points.map((point) => `${syntheticUpn(n)},${subject},${point},achieved,5`));
      }
    }
    const results = resultsCsv([...rows.slice(0, 6_000), `${syntheticUpn(1)},Maths,Y10,achieved,6`]);
    const conflicting = await importText(school.id, results);
    assert.equal(conflicting.status, 'refused');
    assert.deepEqual(
      conflicting.report.errors.map((issue) => `${issue.row}:${issue.message}`),
      ['6002:conflicts with row 2: the same pupil, subject, assessment point and facet with another grade'],
    );
    assert.equal(await count(school.id, 'results'), 0);
    // A row that breaks the file's shape after the first batch was written: nothing stays either.
    const ragged = await importText(
      school.id,
      `${resultsCsv(rows.slice(0, 5_500))}${syntheticUpn(1)},Maths,Y10,achieved,5,6,7\n`,
    );
    assert.equal(ragged.status, 'refused');
    assert.match(ragged.report.errors[0]?.message ?? '', /Row 5502 has 7 cells/);
    assert.equal(await count(school.id, 'results'), 0);
    // Repeated rows with the same grade are warnings, written once.
    const repeated = await importText(school.id, resultsCsv([...rows.slice(0, 6_000), rows[0] ?? '']));
    assert.equal(repeated.status, 'committed', JSON.stringify(repeated.report.errors));
    assert.deepEqual(
      repeated.report.warnings.map((issue) => `${issue.row}:${issue.message}`),
      ['6002:repeats row 2'],
    );
    assert.equal(await count(school.id, 'results'), 6_000);
    assert.equal(repeated.written.results_written, 6_000);
  });
});

describe('marksheet import', () => {
  test('one row per pupil, a column per subject and facet; other columns must be mapped or are unknown subjects', async () => {
    const school = await buildSchool(services);
    await importText(school.id, pupilsCsv(2));
    const sheet = [
      'UPN,Reg Group,English Language,Maths (Target),Maths,Comb Sci - Prediction,Tutor Notes',
      `${syntheticUpn(1)},11A,5,7,6,6-6,`,
      `${syntheticUpn(2)},11B,4,,3,5-4,ok`,
    ].join('\n');
    const withoutPoint = await importText(school.id, sheet);
    assert.match(withoutPoint.report.errors[0]?.message ?? '', /needs an assessment point/);

    const unknownColumn = await importText(school.id, sheet, { assessmentPoint: 'Y11 Mock' });
    assert.equal(unknownColumn.status, 'refused');
    assert.deepEqual(
      unknownColumn.report.errors.map((issue) => issue.value),
      ['Tutor Notes'],
      'a column that is not a subject is never guessed',
    );
    const outcome = await importText(school.id, sheet, {
      assessmentPoint: 'Y11 Mock',
      columns: { 'Tutor Notes': null },
    });
    assert.equal(outcome.status, 'committed', JSON.stringify(outcome.report.errors));
    assert.equal(outcome.report.format, 'marksheet-csv');
    assert.equal(outcome.written.results_written, 7);
    const facets = await services.db.withSchool(school.id, (trx) =>
      trx
        .selectFrom('results')
        .innerJoin('subjects', 'subjects.id', 'results.subject_id')
        .select(['subjects.code', 'results.facet'])
        .where('results.grade', '=', '6-6')
        .execute(),
    );
    assert.deepEqual(facets, [{ code: 'combined_science', facet: 'prediction' }]);
  });
});
