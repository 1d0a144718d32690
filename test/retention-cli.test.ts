// `./haven retention run`: a dry run lists what would go without touching it; a real run erases the
// pupil who turns 25 today and says so; wrong usage is exit 2.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { addDays, todayInEngland } from '../src/platform/calendar/working-days.ts';
import { runCli, tempDataDir } from './support/cli.ts';
import { PUPIL_HEADER, pupilRow } from './support/pupil-files.ts';

interface Report {
  dryRun: boolean;
  totals: { pupilsDue: number; pupilsErased: number };
}

/** The date of birth of someone who turns 25 on `day`. */
const twentyFive = (day: string): string => `${Number(day.slice(0, 4)) - 25}${day.slice(4)}`;

describe('./haven retention run', () => {
  test('dry run, a day ahead, then the real run', async () => {
    const data = tempDataDir();
    const today = todayInEngland();
    const file = path.join(data, 'pupils.csv');
    await writeFile(
      file,
      [
        PUPIL_HEADER,
        pupilRow(1, { dob: twentyFive(today) }),
        pupilRow(2, { dob: twentyFive(addDays(today, 10)) }),
      ].join('\n'),
    );
    const school = await runCli(['school', 'create', '--name', 'Retention CLI', '--json', '--data', data]);
    const schoolId = (JSON.parse(school.stdout) as { id: string }).id;
    const imported = await runCli(['import', file, '--school', schoolId, '--data', data]);
    assert.equal(imported.code, 0, imported.stderr);

    const dry = await runCli(['retention', 'run', '--dry-run', '--json', '--data', data]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual((JSON.parse(dry.stdout) as Report).totals.pupilsDue, 1);
    const ahead = await runCli([
      'retention',
      'run',
      '--dry-run',
      '--date',
      addDays(today, 10),
      '--data',
      data,
    ]);
    assert.match(ahead.stdout, /2 pupil\(s\) due/);

    const run = await runCli(['retention', 'run', '--school', schoolId, '--data', data]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /1 erased/);
    const after = await runCli(['retention', 'run', '--dry-run', '--json', '--data', data]);
    assert.equal((JSON.parse(after.stdout) as Report).totals.pupilsDue, 0);

    const usage = await runCli(['retention', 'run', '--school', 'nope', '--data', data]);
    assert.equal(usage.code, 2);
  });
});
