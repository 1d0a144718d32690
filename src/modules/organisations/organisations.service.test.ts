import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../platform/http/errors.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';
import { createSchool, getSchool, listSchools } from './organisations.service.ts';

let testDb: TestServices;

before(async () => {
  testDb = await createTestServices();
});
after(() => testDb.close());

describe('createSchool', () => {
  test('creates an active school with default settings', async () => {
    const school = await createSchool(testDb, {
      name: '  Northgate Academy ',
      urn: '654321',
      laCode: '801',
      establishmentNumber: '4001',
    });
    assert.equal(school.name, 'Northgate Academy');
    assert.equal(school.status, 'active');
    const settings = await testDb.db.withSchool(school.id, (trx) =>
      trx.selectFrom('school_settings').selectAll().executeTakeFirstOrThrow(),
    );
    assert.equal(settings.timezone, 'Europe/London');
    assert.equal(settings.academic_year_start_month, 9);
  });

  test('names every bad field and writes nothing', async () => {
    const countBefore = (await listSchools(testDb)).length;
    await assert.rejects(
      createSchool(testDb, { name: ' ', urn: '12345', laCode: 'abc', establishmentNumber: '99999' }),
      (error: unknown) =>
        error instanceof AppError &&
        error.status === 400 &&
        JSON.stringify(error.fields?.map((field) => field.field)) ===
          JSON.stringify(['name', 'urn', 'laCode', 'establishmentNumber']),
    );
    assert.equal((await listSchools(testDb)).length, countBefore);
  });

  test('refuses a URN already in use with a 409 naming the field', async () => {
    const first = await buildSchool(testDb);
    await assert.rejects(
      createSchool(testDb, { name: 'Copy', urn: first.urn ?? undefined }),
      (error: unknown) =>
        error instanceof AppError && error.status === 409 && error.fields?.[0]?.field === 'urn',
    );
  });
});

describe('getSchool', () => {
  test('returns the school inside its own context', async () => {
    const school = await buildSchool(testDb);
    assert.equal((await getSchool(testDb, school.id)).id, school.id);
  });

  test('a school id that does not exist is not found', async () => {
    await assert.rejects(
      getSchool(testDb, '00000000-0000-4000-8000-000000000000'),
      (error: unknown) => error instanceof AppError && error.status === 404,
    );
  });
});
