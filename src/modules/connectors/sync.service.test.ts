// Drop-folder syncs against a real database: a generated export is picked up and only its differences
// written; a pupil missing from the next full extract becomes a leaver; a broken export changes nothing
// and alerts the data manager; the same file is not synced twice on schedule.
import assert from 'node:assert/strict';
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { buildUser } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { createTestServices, readOutbox, type TestServices } from '../../../test/support/services.ts';
import { csvLine, PUPILS_HEADER, syntheticSchool } from '../imports/synthetic.ts';
import { runConnectors } from './connectors.jobs.ts';
import { getConnector, setUpConnector } from './connectors.service.ts';
import { dropFolderOf } from './drop-folder.ts';
import { runSync } from './sync.service.ts';

let services: TestServices;
before(async () => {
  services = await createTestServices();
});
after(async () => services.close());

const ADMIN = { type: 'user' as const, id: 'b8c1f0d2-0000-4000-8000-000000000009' };
const log = pino({ level: 'silent' });
const cohort = syntheticSchool(0, 12, 42);
const column = (name: string): number => PUPILS_HEADER.indexOf(name);

let fileSequence = 0;
/** Writes an export into the school's drop folder, newer than any before it. */
async function drop(schoolId: string, rows: string[][], name = 'pupils.csv'): Promise<void> {
  fileSequence += 1;
  const file = path.join(dropFolderOf(services.connectorDir, schoolId), name);
  await writeFile(file, [PUPILS_HEADER, ...rows].map((row) => `${csvLine(row)}\n`).join(''));
  const at = new Date(Date.now() + fileSequence * 1000);
  await utimes(file, at, at);
}

async function pupilsOf(schoolId: string) {
  return services.db.withSchool(schoolId, (trx) =>
    trx
      .selectFrom('pupils')
      .select(['id', 'leave_date', 'fsm', 'ethnicity', 'sen', 'updated_at'])
      .where('school_id', '=', schoolId)
      .execute(),
  );
}

async function connectedSchool(categories: string[] = ['characteristics', 'prior_attainment', 'classes']) {
  const school = await buildSchool(services);
  const manager = await buildUser(services, 'data_manager', school.id);
  await setUpConnector(services, school.id, { kind: 'drop_folder', categories }, ADMIN);
  return { school, manager };
}

describe('drop-folder sync', () => {
  test('a generated export is synced, then only the differences of the next one; a missing pupil becomes a leaver', async () => {
    const { school } = await connectedSchool();
    await drop(school.id, cohort.pupils.slice(0, 10));
    const first = await runSync(services, school.id, { trigger: 'manual', actor: ADMIN });
    assert.equal(first?.status, 'succeeded');
    assert.deepEqual(first?.counts, { added: 10, changed: 0, left: 0, unchanged: 0 });

    // The next export: pupil 1 has gone, pupil 2's FSM flipped, pupil 11 is new.
    const next = cohort.pupils.slice(1, 11).map((row) => [...row]);
    const flipped = next[0] ?? [];
    flipped[column('fsm')] = flipped[column('fsm')] === 'Y' ? 'N' : 'Y';
    await drop(school.id, next);
    const earlier = new Map((await pupilsOf(school.id)).map((row) => [row.id, row.updated_at.getTime()]));
    const second = await runConnectors(services, log, new Date(Date.now() + 2 * 86_400_000));
    assert.equal(second.synced, 1);
    const status = await getConnector(services, school.id);
    assert.deepEqual(status?.syncs[0]?.counts, { added: 1, changed: 1, left: 1, unchanged: 8 });
    const now = await pupilsOf(school.id);
    assert.equal(now.length, 11, 'nobody was deleted');
    const leavers = now.filter((row) => row.leave_date !== null);
    assert.equal(leavers.length, 1);
    const untouched = now.filter((row) => earlier.get(row.id) === row.updated_at.getTime());
    assert.equal(untouched.length, 8, 'the eight unchanged pupils were not rewritten');

    // The same file again on schedule: nothing to do, nothing recorded.
    await runConnectors(services, log, new Date(Date.now() + 4 * 86_400_000));
    assert.equal((await getConnector(services, school.id))?.syncs.length, 2);
  });

  test('a broken export leaves the previous data untouched and e-mails the data manager', async () => {
    const { school, manager } = await connectedSchool();
    await drop(school.id, cohort.pupils.slice(0, 5));
    await runSync(services, school.id, { trigger: 'manual', actor: ADMIN });
    const previous = await pupilsOf(school.id);
    const broken = cohort.pupils.slice(0, 5).map((row) => [...row]);
    (broken[3] ?? [])[column('upn')] = 'NOT-A-UPN';
    (broken[1] ?? [])[column('fsm')] = 'maybe';
    await drop(school.id, broken);
    const result = await runSync(services, school.id, { trigger: 'schedule', actor: ADMIN });
    assert.equal(result?.status, 'refused');
    assert.ok((result?.errors ?? []).some((error) => error.row === 5 && error.column !== undefined));
    assert.ok(!JSON.stringify(result).includes('NOT-A-UPN'), 'the UPN (personal data) is not echoed');
    assert.deepEqual(await pupilsOf(school.id), previous);
    const mail = (await readOutbox(services)).filter((message) => message.includes(manager.email));
    assert.ok(mail.some((message) => message.includes('export was refused')));
  });

  test('an export that leaves out most pupils is taken as incomplete: refused, nobody leaves', async () => {
    const { school } = await connectedSchool();
    await drop(school.id, cohort.pupils.slice(0, 10));
    await runSync(services, school.id, { trigger: 'manual', actor: ADMIN });
    await drop(school.id, cohort.pupils.slice(0, 2));
    const result = await runSync(services, school.id, { trigger: 'manual', actor: ADMIN });
    assert.equal(result?.status, 'refused');
    assert.equal((await pupilsOf(school.id)).filter((row) => row.leave_date !== null).length, 0);
  });

  test('categories the school did not choose are never stored', async () => {
    const { school } = await connectedSchool(['prior_attainment']);
    await drop(school.id, cohort.pupils.slice(0, 4));
    const result = await runSync(services, school.id, { trigger: 'manual', actor: ADMIN });
    assert.equal(result?.status, 'succeeded');
    for (const row of await pupilsOf(school.id)) {
      assert.equal(row.fsm, null);
      assert.equal(row.ethnicity, null);
      assert.equal(row.sen, null);
    }
  });
});
