import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { pupilRow, pupilsCsv, PUPIL_HEADER } from '../../../test/support/pupil-files.ts';

const fixture = useTestApp();

async function dataManager() {
  const school = await buildSchool(fixture.services);
  const user = await buildUser(fixture.services, 'data_manager', school.id);
  return { school, cookie: await signInAs(fixture.app, user.email) };
}

function upload(schoolId: string, cookie: string, name: string, content: string | Buffer, options?: object) {
  const body = multipartBody(options === undefined ? {} : { options: JSON.stringify(options) }, {
    name,
    content,
  });
  return fixture.app.inject({
    method: 'POST',
    url: `/api/v1/schools/${schoolId}/imports`,
    headers: { cookie, ...body.headers },
    payload: body.payload,
  });
}

async function pupilCount(schoolId: string): Promise<number> {
  const rows = await fixture.services.db.withSchool(schoolId, (trx) =>
    trx.selectFrom('pupils').select('id').execute(),
  );
  return rows.length;
}

describe('imports API', () => {
  test('upload is validated at once; commit runs in the background; history shows it; the kept file is destroyed', async () => {
    const { school, cookie } = await dataManager();
    const staged = await upload(school.id, cookie, 'pupils.csv', pupilsCsv(5));
    assert.equal(staged.statusCode, 201, staged.body);
    const { importId, status, report } = staged.json<{
      importId: string;
      status: string;
      report: { counts: Record<string, number> };
    }>();
    assert.equal(status, 'validated');
    assert.equal(report.counts.pupils, 5);
    assert.equal(await pupilCount(school.id), 0, 'nothing is written before commit');

    const commit = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/imports/${importId}/commit`,
      headers: { cookie },
    });
    assert.equal(commit.statusCode, 202, commit.body);
    const again = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/imports/${importId}/commit`,
      headers: { cookie },
    });
    assert.equal(again.statusCode, 409, 'a second commit cannot start');
    await fixture.services.background.drain();

    const detail = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/schools/${school.id}/imports/${importId}`,
      headers: { cookie },
    });
    const view = detail.json<{ status: string; counts: Record<string, number> }>();
    assert.equal(view.status, 'committed');
    assert.equal(view.counts.pupils_created, 5);
    assert.equal(await pupilCount(school.id), 5);
    const kept = await fixture.services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('import_uploads').select('import_id').execute(),
    );
    assert.deepEqual(kept, []);

    const history = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/schools/${school.id}/imports`,
      headers: { cookie },
    });
    assert.deepEqual(
      history
        .json<Array<{ id: string; status: string }>>()
        .map(({ id, status: state }) => ({ id, status: state })),
      [{ id: importId, status: 'committed' }],
    );
  });

  test('a refused file: its issues download as CSV, a new mapping fixes it, then it commits', async () => {
    const { school, cookie } = await dataManager();
    const file = [
      'Pupil Ref,' + PUPIL_HEADER.split(',').slice(1).join(','),
      pupilRow(1),
      pupilRow(2, { sex: 'Q' }),
    ].join('\n');
    const staged = await upload(school.id, cookie, 'export.csv', file);
    const { importId, status } = staged.json<{ importId: string; status: string }>();
    assert.equal(status, 'refused');
    const csv = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/schools/${school.id}/imports/${importId}/issues.csv`,
      headers: { cookie },
    });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] ?? '', /text\/csv/);
    assert.match(csv.body, /row 3, column sex: sex must be M or F/);
    assert.match(csv.body, /not read: Pupil Ref/);

    const refused = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/imports/${importId}/commit`,
      headers: { cookie },
    });
    assert.equal(refused.statusCode, 409);

    const remapped = await fixture.app.inject({
      method: 'PUT',
      url: `/api/v1/schools/${school.id}/imports/${importId}/options`,
      headers: { cookie },
      payload: { columns: { 'Pupil Ref': 'upn' } },
    });
    const second = remapped.json<{
      status: string;
      report: {
        mappedColumns: Record<string, string>;
        errors: Array<{ row: number; column: string; value: string }>;
      };
    }>();
    assert.equal(second.status, 'refused');
    assert.equal(second.report.mappedColumns['Pupil Ref'], 'upn');
    assert.deepEqual(
      second.report.errors.map(({ row, column, value }) => ({ row, column, value })),
      [{ row: 3, column: 'sex', value: 'Q' }],
    );

    const csvFixed = [file.split('\n')[0], pupilRow(1), pupilRow(2)].join('\n');
    const fresh = await upload(school.id, cookie, 'export.csv', csvFixed, {
      columns: { 'Pupil Ref': 'upn' },
    });
    const freshId = fresh.json<{ importId: string; status: string }>();
    assert.equal(freshId.status, 'validated');
    await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/imports/${freshId.importId}/commit`,
      headers: { cookie },
    });
    await fixture.services.background.drain();
    assert.equal(await pupilCount(school.id), 2);
  });

  test('the preview shows the first rows as Haven reads them, after the mapping', async () => {
    const { school, cookie } = await dataManager();
    const staged = await upload(school.id, cookie, 'pupils.csv', pupilsCsv(4));
    const { importId } = staged.json<{ importId: string }>();
    const preview = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/schools/${school.id}/imports/${importId}/preview?rows=2`,
      headers: { cookie },
    });
    assert.equal(preview.statusCode, 200, preview.body);
    const body = preview.json<{
      template: string;
      rows: Array<{ row: number; values: Record<string, unknown> }>;
    }>();
    assert.equal(body.template, 'pupils');
    assert.deepEqual(
      body.rows.map((entry) => entry.row),
      [2, 3],
    );
    assert.equal(body.rows[0]?.values.forename, 'Zqforename1');
    assert.equal(body.rows[0]?.values.year_group, 11);
    assert.equal(body.rows[0]?.values.fsm, false);
  });

  test('a discarded upload is gone; unsupported files and missing parts are 400s naming the field', async () => {
    const { school, cookie } = await dataManager();
    const staged = await upload(school.id, cookie, 'pupils.csv', pupilsCsv(1));
    const { importId } = staged.json<{ importId: string }>();
    const discard = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/schools/${school.id}/imports/${importId}`,
      headers: { cookie },
    });
    assert.equal(discard.statusCode, 204);
    const commit = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/imports/${importId}/commit`,
      headers: { cookie },
    });
    assert.equal(commit.statusCode, 409);
    assert.equal(commit.json<{ code: string }>().code, 'upload_gone');

    const pdf = await upload(school.id, cookie, 'pupils.pdf', '%PDF-1.4');
    assert.equal(pdf.statusCode, 400);
    assert.equal(pdf.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, 'file');
    const badOptions = await upload(school.id, cookie, 'pupils.csv', pupilsCsv(1), {
      template: 'spreadsheet',
    });
    assert.equal(badOptions.statusCode, 400);
    assert.equal(badOptions.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, 'options');
    const noFile = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/imports`,
      headers: { cookie, 'content-type': 'application/json' },
      payload: {},
    });
    assert.ok([400, 415].includes(noFile.statusCode), noFile.body);
  });

  test('a file over the upload limit is refused with 413 and a way forward', async () => {
    const { school, cookie } = await dataManager();
    const big = Buffer.alloc(51 * 1024 * 1024, 0x41);
    const response = await upload(school.id, cookie, 'huge.csv', big);
    assert.equal(response.statusCode, 413, response.body.slice(0, 200));
    assert.match(response.json<{ message: string }>().message, /\.\/haven import/);
  });

  test('column mappings are saved per school, checked against the layout, and deleted', async () => {
    const { school, cookie } = await dataManager();
    const url = `/api/v1/schools/${school.id}/column-mappings/SIMS export`;
    const saved = await fixture.app.inject({
      method: 'PUT',
      url,
      headers: { cookie },
      payload: { template: 'pupils', columns: { 'Legal Surname': 'surname', Notes: null } },
    });
    assert.equal(saved.statusCode, 204, saved.body);
    const wrong = await fixture.app.inject({
      method: 'PUT',
      url,
      headers: { cookie },
      payload: { template: 'pupils', columns: { Colour: 'favourite_colour' } },
    });
    assert.equal(wrong.statusCode, 400);
    const list = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/schools/${school.id}/column-mappings`,
      headers: { cookie },
    });
    assert.deepEqual(
      list.json<Array<{ name: string; columns: object }>>().map(({ name, columns }) => ({ name, columns })),
      [{ name: 'SIMS export', columns: { 'Legal Surname': 'surname', Notes: null } }],
    );
    assert.equal((await fixture.app.inject({ method: 'DELETE', url, headers: { cookie } })).statusCode, 204);
    assert.equal((await fixture.app.inject({ method: 'DELETE', url, headers: { cookie } })).statusCode, 404);
  });
});
