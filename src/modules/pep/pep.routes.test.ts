// PEPs over HTTP on the real database: linking with the school's agreement, virtual-school isolation,
// the workflow (who moves which state), locking after sign-off, funding decided by the virtual school
// only, exports of a signed-off PEP, (privacy and retention: pep-privacy.routes.test.ts)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { createOrganisation } from '../organisations/organisations.service.ts';
import { syntheticUpn } from '../../../test/support/pupil-files.ts';
import {
  addLinkedChild,
  call,
  fixture,
  FILLED,
  setUp,
  target,
  TERM,
  VOICE,
} from '../../../test/support/pep-routes.ts';

describe('PEP linking and virtual school isolation', () => {
  test('the virtual school sees the school’s PEP data only after the school agrees, and no one else sees the child', async () => {
    const setup = await setUp();
    const created = await call(setup.cookies.head, 'POST', `${setup.la}/children`, {
      forename: 'Zqforename2',
      surname: 'Xvsurname2',
      dob: '2010-03-12',
      upn: syntheticUpn(2),
      yearGroup: 11,
      legalStatus: 'C2',
      enteredCareOn: '2024-03-04',
      care: { placementType: 'kinship_care', carer: 'Qzcarer', socialWorker: 'Qzworker' },
      school: { schoolId: setup.school.id },
    });
    const childId = created.json().id as string;
    const before = await call(setup.cookies.head, 'GET', `${setup.la}/children/${childId}`);
    assert.equal(before.json().school.linkStatus, 'requested');
    assert.equal(before.json().schoolData.available, false, 'nothing of the school before it agrees');
    assert.equal((await call(setup.cookies.teacher, 'GET', `${setup.sch}/children/${childId}`)).status, 404);

    const linked = await addLinkedChild(setup);
    const detail = await call(setup.cookies.head, 'GET', `${setup.la}/children/${linked}`);
    assert.equal(detail.status, 200, detail.body);
    assert.equal(detail.json().schoolData.available, true);
    assert.equal(detail.json().schoolData.sen, 'K');
    assert.equal(detail.json().schoolData.ks2.readingScore, 96);
    assert.equal((await call(setup.cookies.teacher, 'GET', `${setup.sch}/children/${linked}`)).status, 200);

    // Another authority's head, another school's designated teacher, and an unallocated social worker.
    const otherLa = await createOrganisation(fixture.services, {
      kind: 'local_authority',
      name: `Other LA ${randomUUID()}`,
    });
    const otherHead = await signInAs(
      fixture.app,
      (await buildUser(fixture.services, 'virtual_school_head', otherLa.id)).email,
    );
    const otherSchool = await buildSchool(fixture.services);
    const otherTeacher = await signInAs(
      fixture.app,
      (await buildUser(fixture.services, 'designated_teacher', otherSchool.id)).email,
    );
    assert.equal((await call(otherHead, 'GET', `${setup.la}/children/${linked}`)).status, 404);
    assert.equal(
      (await call(otherHead, 'GET', `/api/v1/authorities/${otherLa.id}/pep/children/${linked}`)).status,
      404,
    );
    assert.equal(
      (await call(otherTeacher, 'GET', `/api/v1/schools/${otherSchool.id}/pep/children/${linked}`)).status,
      404,
    );
    const otherLinks = await call(otherTeacher, 'GET', `/api/v1/schools/${otherSchool.id}/pep/links`);
    assert.deepEqual(otherLinks.json(), { waiting: [], linked: [] });
    assert.ok(!otherLinks.body.includes('Zqforename'));
    assert.equal((await call(setup.cookies.worker, 'GET', `${setup.la}/children/${linked}`)).status, 404);
    assert.deepEqual((await call(setup.cookies.worker, 'GET', `${setup.la}/children`)).json(), []);

    // Allocated, the social worker sees the child.
    const allocated = await call(setup.cookies.head, 'PATCH', `${setup.la}/children/${linked}`, {
      socialWorkerId: setup.people.worker.id,
    });
    assert.equal(allocated.status, 200, allocated.body);
    assert.equal((await call(setup.cookies.worker, 'GET', `${setup.la}/children/${linked}`)).status, 200);
  });

  test('bad child details are refused with the fields named, and nothing is written', async () => {
    const setup = await setUp();
    const refused = await call(setup.cookies.head, 'POST', `${setup.la}/children`, {
      forename: 'Zq',
      surname: 'Xv',
      dob: '2010-02-28',
      upn: 'A12345678901Z',
      yearGroup: 5,
      legalStatus: 'Q9',
      enteredCareOn: '2009-01-01',
      care: { placementType: 'foster_care', carer: '', socialWorker: '' },
      school: { schoolId: randomUUID() },
    });
    assert.equal(refused.status, 400);
    const fields = (refused.json().fields as Array<{ field: string }>).map((entry) => entry.field).toSorted();
    assert.deepEqual(fields, ['enteredCareOn', 'legalStatus', 'school.schoolId', 'upn']);
    assert.deepEqual((await call(setup.cookies.head, 'GET', `${setup.la}/children`)).json(), []);
  });
});

describe('a school not on Haven', () => {
  test('a child at a school not on Haven is recorded by name; naming both or neither is refused', async () => {
    const setup = await setUp();
    const base = {
      forename: 'Zqforename3',
      surname: 'Xvsurname3',
      dob: '2011-04-13',
      yearGroup: 10,
      legalStatus: 'V2',
      enteredCareOn: '2025-01-06',
      care: { placementType: 'residential', carer: 'Qzcarer', socialWorker: 'Qzworker' },
    };
    const created = await call(setup.cookies.officer, 'POST', `${setup.la}/children`, {
      ...base,
      school: { name: 'Qzschool Not On Haven' },
    });
    assert.equal(created.status, 201, created.body);
    const detail = await call(setup.cookies.officer, 'GET', `${setup.la}/children/${created.json().id}`);
    assert.deepEqual(detail.json().school, { id: null, name: 'Qzschool Not On Haven', linkStatus: 'none' });
    for (const school of [{}, { schoolId: setup.school.id, name: 'Qzschool' }]) {
      const refused = await call(setup.cookies.officer, 'POST', `${setup.la}/children`, { ...base, school });
      assert.equal(refused.status, 400, refused.body);
      assert.equal(refused.json().fields[0].field, 'school');
    }
  });
});

describe('the PEP workflow', () => {
  test('draft → submitted → returned → submitted → approved → signed off, each step by the right role; then locked', async () => {
    const setup = await setUp();
    const childId = await addLinkedChild(setup);
    const started = await call(setup.cookies.teacher, 'POST', `${setup.sch}/children/${childId}/peps`, {
      term: TERM,
    });
    assert.equal(started.status, 201, started.body);
    const pepId = started.json().id as string;
    const school = `${setup.sch}/children/${childId}/peps/${pepId}`;
    const la = `${setup.la}/children/${childId}/peps/${pepId}`;
    assert.equal(
      (await call(setup.cookies.teacher, 'POST', `${setup.sch}/children/${childId}/peps`, { term: TERM }))
        .status,
      409,
    );

    const incomplete = await call(setup.cookies.teacher, 'POST', `${school}/transitions`, {
      action: 'submit',
    });
    assert.equal(incomplete.status, 400);
    assert.deepEqual(
      (incomplete.json().fields as Array<{ field: string }>).map((entry) => entry.field),
      ['pupil_voice.inTheirWords', 'send', 'meeting.heldOn', 'targets'],
    );
    for (const [module, value] of Object.entries(FILLED)) {
      const saved = await call(setup.cookies.teacher, 'PUT', `${school}/modules/${module}`, value);
      assert.equal(saved.status, 200, `${module}: ${saved.body}`);
    }
    assert.equal(
      (await call(setup.cookies.teacher, 'PUT', `${school}/modules/targets`, { targets: [target()] })).status,
      200,
    );
    assert.equal(
      (
        await call(setup.cookies.teacher, 'PUT', `${school}/modules/qa`, {
          rating: 'green',
          checklist: {},
          comments: '',
        })
      ).status,
      403,
      'QA is the virtual school’s',
    );
    assert.equal(
      (await call(setup.cookies.worker, 'POST', `${la}/transitions`, { action: 'submit' })).status,
      404,
      'unallocated',
    );

    const submitted = await call(setup.cookies.teacher, 'POST', `${school}/transitions`, {
      action: 'submit',
    });
    assert.equal(submitted.status, 200, submitted.body);
    assert.equal(submitted.json().state, 'submitted');
    assert.deepEqual(submitted.json().you.editable, [], 'the school waits while the PEP is in QA');
    assert.equal(
      (await call(setup.cookies.teacher, 'PUT', `${school}/modules/meeting`, FILLED.meeting)).status,
      409,
    );
    assert.equal(
      (await call(setup.cookies.teacher, 'POST', `${school}/transitions`, { action: 'approve' })).status,
      403,
    );
    assert.equal(
      (await call(setup.cookies.officer, 'POST', `${la}/transitions`, { action: 'return' })).status,
      400,
      'a return needs a comment',
    );
    const returned = await call(setup.cookies.officer, 'POST', `${la}/transitions`, {
      action: 'return',
      comment: 'Qzcomment add the carer’s view',
    });
    assert.equal(returned.json().state, 'returned');
    assert.ok(
      returned
        .json()
        .history.some(
          (event: { comment: string | null }) => event.comment === 'Qzcomment add the carer’s view',
        ),
    );
    assert.equal(
      (await call(setup.cookies.teacher, 'POST', `${school}/transitions`, { action: 'submit' })).json().state,
      'submitted',
    );

    assert.equal(
      (await call(setup.cookies.officer, 'POST', `${la}/transitions`, { action: 'approve' })).status,
      400,
      'QA first',
    );
    const rated = await call(setup.cookies.officer, 'PUT', `${la}/modules/qa`, {
      rating: 'amber',
      checklist: { pupil_voice: 'met', smart_targets: 'partly' },
      comments: 'Good',
    });
    assert.equal(rated.status, 200, rated.body);
    assert.equal(
      (await call(setup.cookies.officer, 'POST', `${la}/transitions`, { action: 'approve' })).json().state,
      'approved',
    );
    assert.equal(
      (await call(setup.cookies.officer, 'POST', `${la}/transitions`, { action: 'sign_off' })).status,
      403,
      'the head signs off',
    );
    assert.equal(
      (await call(setup.cookies.head, 'GET', `${la}/export.pdf`)).status,
      409,
      'not signed off yet',
    );
    const signed = await call(setup.cookies.head, 'POST', `${la}/transitions`, { action: 'sign_off' });
    assert.equal(signed.json().state, 'signed_off');
    assert.ok(signed.json().signedOff.at);

    // Locked: nobody edits a signed-off PEP; the next version is a new draft with the same content.
    const locked = await call(setup.cookies.head, 'PUT', `${la}/modules/meeting`, FILLED.meeting);
    assert.equal(locked.status, 409);
    assert.match(locked.json().message, /signed off and locked/);
    const html = await call(setup.cookies.teacher, 'GET', `${school}/export.html`);
    assert.equal(html.status, 200);
    assert.ok(html.body.includes('Zqforename1 Xvsurname1') && html.body.includes('Qzvoice I like art club'));
    const pdf = await fixture.app.inject({
      method: 'GET',
      url: `${la}/export.pdf`,
      headers: { cookie: setup.cookies.head },
    });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const next = await call(setup.cookies.teacher, 'POST', `${school}/next-version`);
    assert.equal(next.status, 201, next.body);
    const v2 = await call(
      setup.cookies.teacher,
      'GET',
      `${setup.sch}/children/${childId}/peps/${next.json().id}`,
    );
    assert.equal(v2.json().version, 2);
    assert.equal(v2.json().state, 'draft');
    assert.equal(v2.json().modules.pupil_voice.inTheirWords, VOICE);
    assert.equal(v2.json().modules.qa, null);
    assert.equal(
      (await call(setup.cookies.teacher, 'POST', `${school}/next-version`)).status,
      409,
      'v1 already has a successor',
    );
  });

  test('only the virtual school approves Pupil Premium Plus funding; the dashboard counts it', async () => {
    const setup = await setUp();
    const childId = await addLinkedChild(setup);
    const pepId = (
      await call(setup.cookies.head, 'POST', `${setup.la}/children/${childId}/peps`, { term: TERM })
    ).json().id as string;
    const school = `${setup.sch}/children/${childId}/peps/${pepId}/modules/targets`;
    const la = `${setup.la}/children/${childId}/peps/${pepId}/modules/targets`;
    const first = target();
    assert.equal((await call(setup.cookies.teacher, 'PUT', school, { targets: [first] })).status, 200);
    const sneaky = await call(setup.cookies.teacher, 'PUT', school, {
      targets: [{ ...first, fundingApprovedPence: 30000 }],
    });
    assert.equal(sneaky.status, 403);
    assert.equal(sneaky.json().fields[0].field, 'targets[0].fundingApprovedPence');
    const approved = await call(setup.cookies.officer, 'PUT', la, {
      targets: [{ ...first, fundingApprovedPence: 25000 }],
    });
    assert.deepEqual(approved.json().funding, { requestedPence: 30000, approvedPence: 25000 });
    const board = await call(setup.cookies.officer, 'GET', `${setup.la}/dashboard`);
    assert.equal(board.status, 200, board.body);
    assert.deepEqual(board.json().funding, { requestedPence: 30000, approvedPence: 25000 });
    assert.equal(board.json().children, 1);
    assert.equal(board.json().byState.draft, 1);
  });
});
