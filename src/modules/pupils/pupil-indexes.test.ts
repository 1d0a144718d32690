import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSchool } from '../../../test/support/factories.ts';
import { importCsvLines } from '../../../test/support/imports.ts';
import { PUPIL_HEADER, pupilRow, syntheticUpn } from '../../../test/support/pupil-files.ts';
import { createTestServices } from '../../../test/support/services.ts';

// Found by fuzzing the importers: a later file giving a pupil (found by UPN) the name and birthday another
// pupil already has made the commit throw on the name lookup's primary key. Two pupils may share a name
// and birthday; the first keeps that lookup, as when both arrive in one file.

describe('blind indexes when pupils come to share a name and birthday', () => {
  test('a re-import that gives one pupil another’s name and birthday commits', async () => {
    const services = await createTestServices();
    try {
      const school = await buildSchool(services);
      const first = pupilRow(1, { forename: 'Zqsame', surname: 'Xvname', dob: '2010-05-06' });
      await importCsvLines(services, school.id, [PUPIL_HEADER, first, pupilRow(2)]);
      const renamed = pupilRow(2, { forename: 'Zqsame', surname: 'Xvname', dob: '2010-05-06' });
      const written = await importCsvLines(services, school.id, [PUPIL_HEADER, first, renamed]);
      assert.equal(written.pupils_created ?? 0, 0);
      assert.ok(renamed.includes(syntheticUpn(2)));
    } finally {
      await services.close();
    }
  });
});
