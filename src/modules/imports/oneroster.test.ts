import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { ZipFile } from 'yazl';
import { buildSchool } from '../../../test/support/factories.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';
import { runImport } from './imports.service.ts';
import { bufferSource } from './source.ts';
import { oneRosterFiles } from './synthetic-formats.ts';
import { syntheticSchool } from './synthetic.ts';

let services: TestServices;
before(async () => {
  services = await createTestServices();
});
after(async () => {
  await services.close();
});

async function zip(entries: Map<string, string | Buffer>): Promise<Buffer> {
  const file = new ZipFile();
  for (const [name, content] of entries) {
    file.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name);
  }
  file.end();
  const chunks: Buffer[] = [];
  file.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(file.outputStream, 'end');
  return Buffer.concat(chunks);
}

function importZip(schoolId: string, content: Buffer) {
  return runImport(services, {
    schoolId,
    source: bufferSource('roster.zip', content),
    options: { pseudonymousUpn: false, noNames: false },
    actor: { type: 'system', id: 'test' },
    dryRun: false,
  });
}

describe('OneRoster 1.2 CSV import', () => {
  test('pupils, their demographics and class enrolments are rostered; re-import changes nothing', async () => {
    const school = await buildSchool(services);
    const content = await zip(oneRosterFiles(syntheticSchool(0, 24, 3), 0));
    const outcome = await importZip(school.id, content);
    assert.equal(outcome.status, 'committed', JSON.stringify(outcome.report.errors));
    assert.equal(outcome.report.format, 'pupils-oneroster');
    assert.deepEqual(outcome.report.warnings, []);
    assert.equal(outcome.written.pupils_created, 24);
    assert.equal(outcome.written.class_memberships_added, 24);
    const withBirth = await services.db.withSchool(school.id, (trx) =>
      trx
        .selectFrom('pupils')
        .select(['sex', 'birth_year', 'identifier_kind'])
        .where('birth_year', 'is not', null)
        .execute(),
    );
    assert.equal(withBirth.length, 24);
    assert.ok(
      withBirth.every((pupil) => pupil.identifier_kind === 'upn' && (pupil.sex === 'M' || pupil.sex === 'F')),
    );
    const again = await importZip(school.id, content);
    assert.equal(again.written.pupils_unchanged, 24);
  });

  test('teachers are not imported as pupils; tobedeleted pupils are skipped and counted', async () => {
    const school = await buildSchool(services);
    const files = oneRosterFiles(syntheticSchool(1, 3, 3), 1);
    const roles =
      (files.get('roles.csv') ?? '') + 'role-t,active,2026-01-01,teacher-1,primary,teacher,org-2\n';
    const users = (files.get('users.csv') ?? '')
      .replace(/^(user-2-1),active,/m, '$1,tobedeleted,')
      .concat('teacher-1,active,2026-01-01,true,t1,,Zqteacher,Xvteacher,,,org-2\n');
    files.set('roles.csv', roles);
    files.set('users.csv', users);
    const outcome = await importZip(school.id, await zip(files));
    assert.equal(outcome.status, 'committed', JSON.stringify(outcome.report.errors));
    assert.equal(outcome.written.pupils_created, 2);
    assert.ok(outcome.report.warnings.some((issue) => /1 pupil\(s\) marked tobedeleted/.test(issue.message)));
  });

  test('a zip bomb is refused before it is inflated; a zip without OneRoster files or a damaged zip is refused', async () => {
    const school = await buildSchool(services);
    const bomb = await zip(
      new Map<string, string | Buffer>([
        ['manifest.csv', 'propertyName,value\n'],
        ['users.csv', Buffer.alloc(30_000_000, 0x41)],
      ]),
    );
    assert.ok(bomb.length < 1_000_000);
    const refused = await importZip(school.id, bomb);
    assert.equal(refused.status, 'refused');
    assert.match(
      refused.report.errors[0]?.message ?? '',
      /users\.csv in the zip would expand to 30000000 bytes; refused as unsafe/,
    );

    const other = await importZip(school.id, await zip(new Map([['notes.txt', 'hello']])));
    assert.match(other.report.errors[0]?.message ?? '', /needs manifest\.csv and users\.csv/);

    const damaged = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(200, 7)]);
    const broken = await importZip(school.id, damaged);
    assert.match(broken.report.errors[0]?.message ?? '', /not a readable zip archive/);
    const rows = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('pupils').select('id').execute(),
    );
    assert.equal(rows.length, 0);
  });
});
