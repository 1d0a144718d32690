// A looked-after child's PEP data is theirs: sealed at rest, in the access bundle, gone with the child
// on erasure and on their 25th birthday.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { addDays, todayInEngland } from '../../platform/calendar/working-days.ts';
import { runRetention } from '../retention/retention.service.ts';
import {
  addLinkedChild,
  call,
  fixture,
  FILLED,
  setUp,
  TERM,
  VOICE,
} from '../../../test/support/pep-routes.ts';

describe('a child’s PEP data is theirs', () => {
  test('free text is ciphertext at rest, in the access bundle, and gone with the child', async () => {
    const setup = await setUp();
    const childId = await addLinkedChild(setup);
    const pepId = (
      await call(setup.cookies.head, 'POST', `${setup.la}/children/${childId}/peps`, { term: TERM })
    ).json().id as string;
    await call(
      setup.cookies.head,
      'PUT',
      `${setup.la}/children/${childId}/peps/${pepId}/modules/pupil_voice`,
      FILLED.pupil_voice,
    );
    const { rows } = await fixture.services.db.withPlatform('test: raw PEP rows', (trx) =>
      sql<{ text: string }>`select encode(pupil_voice, 'escape') || encode(forename, 'escape') as text
        from pep_documents join pep_children on pep_children.id = pep_documents.child_id where pep_documents.id = ${pepId}`.execute(
        trx,
      ),
    );
    assert.ok(
      rows[0] !== undefined && !rows[0].text.includes('Qzvoice') && !rows[0].text.includes('Zqforename'),
    );

    assert.equal(
      (await call(setup.cookies.officer, 'GET', `${setup.la}/children/${childId}/export`)).status,
      403,
      'the head answers requests',
    );
    const bundle = await call(setup.cookies.head, 'GET', `${setup.la}/children/${childId}/export`);
    assert.equal(bundle.status, 200);
    assert.equal(bundle.json().peps[0].modules.pupil_voice.inTheirWords, VOICE);
    assert.equal(bundle.json().child.forename, 'Zqforename1');

    const erased = await call(setup.cookies.head, 'POST', `${setup.la}/children/${childId}/erase`, {
      reason: 'request_from_subject',
      confirm: 'erase',
    });
    assert.equal(erased.status, 204, erased.body);
    assert.equal((await call(setup.cookies.head, 'GET', `${setup.la}/children/${childId}`)).status, 404);
    const left = await fixture.services.db.withPlatform('test: after erasure', async (trx) => ({
      documents: (
        await sql<{
          n: number;
        }>`select count(*)::int as n from pep_documents where child_id = ${childId}`.execute(trx)
      ).rows[0]?.n,
      keys: (
        await sql<{
          n: number;
        }>`select count(*)::int as n from subject_keys where subject_id = ${childId}`.execute(trx)
      ).rows[0]?.n,
    }));
    assert.deepEqual(left, { documents: 0, keys: 0 });
  });

  test('the retention run erases a looked-after child on their 25th birthday, not before', async () => {
    const setup = await setUp();
    const today = todayInEngland();
    const add = async (dob: string) => {
      const created = await call(setup.cookies.head, 'POST', `${setup.la}/children`, {
        forename: 'Zqformer',
        surname: 'Xvchild',
        dob,
        yearGroup: null,
        legalStatus: 'C2',
        enteredCareOn: '2012-09-03',
        care: { placementType: 'independent_living', carer: '', socialWorker: '' },
        school: { name: 'Qzcollege' },
      });
      assert.equal(created.status, 201, created.body);
      return created.json().id as string;
    };
    const twentyFive = `${Number(today.slice(0, 4)) - 25}${today.slice(4)}`;
    const tomorrowTwentyFive = addDays(twentyFive, 1);
    const due = await add(twentyFive);
    const notYet = await add(tomorrowTwentyFive);
    const dry = await runRetention(fixture.services, { dryRun: true });
    assert.ok(dry.totals.lookedAfterChildrenDue >= 1);
    assert.equal(dry.totals.lookedAfterChildrenErased, 0);
    assert.equal(
      (await call(setup.cookies.head, 'GET', `${setup.la}/children/${due}`)).status,
      200,
      'a dry run changes nothing',
    );
    const run = await runRetention(fixture.services, { dryRun: false });
    assert.ok(run.totals.lookedAfterChildrenErased >= 1);
    assert.equal((await call(setup.cookies.head, 'GET', `${setup.la}/children/${due}`)).status, 404);
    assert.equal((await call(setup.cookies.head, 'GET', `${setup.la}/children/${notYet}`)).status, 200);
  });
});
