import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { searchAudit } from '../../platform/audit/audit-log.ts';
import { Keyring } from '../../platform/crypto/keyring.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { importCsvLines } from '../../../test/support/imports.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { syntheticUpn } from '../../../test/support/pupil-files.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { readPupil } from './pupil-details.service.ts';
import { listPupils, searchPupils } from './pupil-search.service.ts';

const fixture = useTestApp();

const importCsv = (schoolId: string, lines: string[]) => importCsvLines(fixture.services, schoolId, lines);

// Synthetic pupils (names obviously not real). By surname: Xvjones, Xvsmith, Xvsmithers, Xvsmithson.
const ANNA = { upn: syntheticUpn(1), shown: 'Zqanna Xvsmithers' };
const BEN = { upn: syntheticUpn(2), shown: 'Zqbenny Xvsmith' };
const CARA = { upn: syntheticUpn(3), shown: 'Zqcara Xvjones' };
const DAN = { upn: syntheticUpn(4), shown: 'Zqdan Xvsmithson' };

/** A school with four pupils in three registration groups, one subject class and a few results. */
async function schoolWithPupils() {
  const school = await buildSchool(fixture.services);
  await importCsv(school.id, [
    'upn,forename,surname,preferred_forename,dob,sex,year_group,ethnicity,fsm,sen,class,groups,ks2_reading_score,ks2_maths_score',
    `${ANNA.upn},Zqanna,Xvsmithers,,2010-03-14,F,11,WBRI,Y,K,11A,Zqchess,104,108`,
    `${BEN.upn},Zqben,Xvsmith,Zqbenny,2010-07-02,M,11,APKN,N,N,11B,,99,101`,
    `${CARA.upn},Zqcara,Xvjones,,2011-01-20,F,10,BAFR,N,N,10A,,,`,
    `${DAN.upn},Zqdan,Xvsmithson,,2011-05-09,M,10,WBRI,N,E,10A,,,`,
  ]);
  await importCsv(school.id, [
    'upn,subject,assessment_point,facet,grade,class',
    `${ANNA.upn},Maths,Y11 Autumn,achieved,5,11Ma1`,
    `${ANNA.upn},Maths,Y11 Autumn,target,7,11Ma1`,
    `${ANNA.upn},English Language,Y11 Autumn,achieved,6,`,
    `${BEN.upn},Maths,Y11 Autumn,achieved,4,11Ma2`,
  ]);
  const leader = await buildUser(fixture.services, 'senior_leader', school.id);
  return { school, cookie: await signInAs(fixture.app, leader.email) };
}

interface Item {
  id: string;
  displayName: string | null;
  upn: string | null;
  yearGroup: number | null;
  classes: string[];
}
interface SearchBody {
  pupils: Item[];
  total: number;
}
interface ErrorBody {
  message: string;
  fields?: Array<{ field: string }>;
}

function search(schoolId: string, cookie: string | undefined, payload: unknown) {
  return fixture.app.inject({
    method: 'POST',
    url: `/api/v1/schools/${schoolId}/pupils/search`,
    headers: cookie === undefined ? {} : { cookie },
    payload: payload as Record<string, unknown>,
  });
}

function get(url: string, cookie?: string) {
  return fixture.app.inject({ method: 'GET', url, headers: cookie === undefined ? {} : { cookie } });
}

async function found(schoolId: string, cookie: string, query: string, limit?: number): Promise<SearchBody> {
  const response = await search(schoolId, cookie, limit === undefined ? { query } : { query, limit });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<SearchBody>();
}

/** The id of a pupil, found by UPN the way the web app would. */
async function idOf(schoolId: string, cookie: string, upn: string): Promise<string> {
  const [pupil] = (await found(schoolId, cookie, upn)).pupils;
  assert.ok(pupil !== undefined, 'the pupil is found by UPN');
  return pupil.id;
}

async function auditEvents(schoolId: string, action: string) {
  return fixture.services.db.withSchool(
    schoolId,
    async (trx) => (await searchAudit(trx, schoolId, { action }, { offset: 0, limit: 50 })).events,
  );
}

describe('pupil search', () => {
  test('401 without a session on every pupil route', async () => {
    const { school } = await schoolWithPupils();
    assert.equal((await search(school.id, undefined, { query: 'xvsmith' })).statusCode, 401);
    assert.equal((await get(`/api/v1/schools/${school.id}/pupils`)).statusCode, 401);
    assert.equal((await get(`/api/v1/schools/${school.id}/pupils/${crypto.randomUUID()}`)).statusCode, 401);
  });

  test('an exact UPN finds that pupil (case and spaces do not matter), with year group and classes', async () => {
    const { school, cookie } = await schoolWithPupils();
    const exact = await found(school.id, cookie, ANNA.upn);
    assert.equal(exact.total, 1);
    assert.deepEqual(
      exact.pupils.map(({ id: _id, ...rest }) => rest),
      [{ displayName: ANNA.shown, upn: ANNA.upn, yearGroup: 11, classes: ['11A', '11Ma1'] }],
    );
    const typed = `${ANNA.upn.slice(0, 5).toLowerCase()} ${ANNA.upn.slice(5)}`;
    assert.deepEqual(
      (await found(school.id, cookie, typed)).pupils.map((pupil) => pupil.upn),
      [ANNA.upn],
    );
  });

  test('part of a surname finds every pupil holding it, by surname then forename, in any case', async () => {
    const { school, cookie } = await schoolWithPupils();
    const fragment = await found(school.id, cookie, 'smith');
    assert.deepEqual(
      fragment.pupils.map((pupil) => pupil.displayName),
      [BEN.shown, ANNA.shown, DAN.shown],
    );
    assert.equal(fragment.total, 3);
    assert.deepEqual(await found(school.id, cookie, 'XVSMITH'), fragment, 'case-insensitive');
    const limited = await found(school.id, cookie, 'smith', 2);
    assert.deepEqual(
      limited.pupils.map((pupil) => pupil.displayName),
      [BEN.shown, ANNA.shown],
    );
    assert.equal(limited.total, 3, 'the total says more matched than were shown');
  });

  test('forenames, preferred names and several words match too; nothing matching is an empty list', async () => {
    const { school, cookie } = await schoolWithPupils();
    const names = async (query: string) =>
      (await found(school.id, cookie, query)).pupils.map((pupil) => pupil.displayName);
    assert.deepEqual(await names('zqcar'), [CARA.shown]);
    assert.deepEqual(await names('Zqbenny'), [BEN.shown], 'a preferred forename');
    assert.deepEqual(await names('zqben'), [BEN.shown], 'the legal forename still finds them');
    assert.deepEqual(await names('zqdan xvsmi'), [DAN.shown]);
    assert.deepEqual(await found(school.id, cookie, 'nobody-called-this'), { pupils: [], total: 0 });
    assert.deepEqual(await found(school.id, cookie, syntheticUpn(99)), { pupils: [], total: 0 });
  });

  test('an empty query, a blank one or a limit out of range is a 400 naming the field', async () => {
    const { school, cookie } = await schoolWithPupils();
    for (const [payload, field] of [
      [{ query: '' }, 'body.query'],
      [{}, 'body.query'],
      [{ query: '   ' }, 'body.query'],
      [{ query: 'a'.repeat(101) }, 'body.query'],
      [{ query: 'xvsmith', limit: 51 }, 'body.limit'],
    ] as const) {
      const response = await search(school.id, cookie, payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.deepEqual(
        response.json<ErrorBody>().fields?.map((entry) => entry.field),
        [field],
        JSON.stringify(payload),
      );
    }
  });

  test('a search is audited with how many matched and whom, never the query', async () => {
    const { school, cookie } = await schoolWithPupils();
    const result = await found(school.id, cookie, 'Xvsmith');
    const [event] = await auditEvents(school.id, 'pupils.search');
    assert.ok(event !== undefined, 'the search was recorded');
    assert.deepEqual(event.details, { results: 3 });
    assert.deepEqual([...event.subject_ids].sort(), result.pupils.map((pupil) => pupil.id).sort());
    const recorded = JSON.stringify(event).toLowerCase();
    for (const secret of ['xvsmith', 'zqanna', ANNA.upn.toLowerCase()]) {
      assert.ok(!recorded.includes(secret), `the event holds no ${secret}`);
    }
  });
});

describe('pupil list', () => {
  interface ListBody {
    pupils: Item[];
    nextCursor: string | null;
  }
  const list = async (schoolId: string, cookie: string, query = '') => {
    const response = await get(`/api/v1/schools/${schoolId}/pupils${query}`, cookie);
    assert.equal(response.statusCode, 200, response.body);
    return response.json<ListBody>();
  };

  test('every pupil by surname, filtered by year group or class, a page at a time', async () => {
    const { school, cookie } = await schoolWithPupils();
    const all = await list(school.id, cookie);
    assert.deepEqual(
      all.pupils.map((pupil) => pupil.displayName),
      [CARA.shown, BEN.shown, ANNA.shown, DAN.shown],
    );
    assert.equal(all.nextCursor, null);
    assert.deepEqual(
      (await list(school.id, cookie, '?yearGroup=10')).pupils.map((pupil) => pupil.displayName),
      [CARA.shown, DAN.shown],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ListBody = await list(
        school.id,
        cookie,
        `?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      assert.ok(page.pupils.length <= 1);
      seen.push(...page.pupils.map((pupil) => pupil.displayName ?? ''));
      cursor = page.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(seen, [CARA.shown, BEN.shown, ANNA.shown, DAN.shown], 'pages of one, in order');
  });

  test('the order follows the data: a renamed pupil moves, a new one takes its place, a leaver’s row stays', async () => {
    const { school, cookie } = await schoolWithPupils();
    const shown = async () => (await list(school.id, cookie)).pupils.map((pupil) => pupil.displayName);
    assert.deepEqual(await shown(), [CARA.shown, BEN.shown, ANNA.shown, DAN.shown]);
    await importCsv(school.id, [
      'upn,forename,surname,dob,sex,year_group',
      `${CARA.upn},Zqcara,Xzzjones,2011-01-20,F,10`,
      `${syntheticUpn(5)},Zqeve,Xaaeve,2011-02-02,F,10`,
    ]);
    assert.deepEqual(
      await shown(),
      ['Zqeve Xaaeve', BEN.shown, ANNA.shown, DAN.shown, 'Zqcara Xzzjones'],
      'read again after the import, not from the order remembered before it',
    );
    assert.deepEqual(
      (await list(school.id, cookie, '?yearGroup=10&limit=2')).pupils.map((pupil) => pupil.displayName),
      ['Zqeve Xaaeve', DAN.shown],
    );
  });

  test('a class filter, an unknown class (404) and a cursor that is no pupil of the list (400)', async () => {
    const { school, cookie } = await schoolWithPupils();
    const classes = (await get(`/api/v1/schools/${school.id}/classes`, cookie)).statusCode;
    assert.equal(classes, 403, 'a senior leader does not manage classes');
    const manager = await buildUser(fixture.services, 'data_manager', school.id);
    const managerCookie = await signInAs(fixture.app, manager.email);
    const tenA = (await get(`/api/v1/schools/${school.id}/classes`, managerCookie))
      .json<Array<{ id: string; name: string }>>()
      .find((entry) => entry.name === '10A');
    assert.deepEqual(
      (await list(school.id, cookie, `?classId=${tenA?.id ?? ''}`)).pupils.map((pupil) => pupil.upn),
      [CARA.upn, DAN.upn],
    );
    const unknown = await get(`/api/v1/schools/${school.id}/pupils?classId=${crypto.randomUUID()}`, cookie);
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json<ErrorBody>().message, 'That class was not found.');
    const stale = await get(`/api/v1/schools/${school.id}/pupils?cursor=${crypto.randomUUID()}`, cookie);
    assert.equal(stale.statusCode, 400);
    assert.deepEqual(
      stale.json<ErrorBody>().fields?.map((entry) => entry.field),
      ['query.cursor'],
    );
    const tooMany = await get(`/api/v1/schools/${school.id}/pupils?limit=201`, cookie);
    assert.equal(tooMany.statusCode, 400);
  });
});

describe('pupil record', () => {
  interface RecordBody {
    id: string;
    identity: Record<string, unknown>;
    characteristics: Record<string, unknown>;
    priorAttainment: Record<string, unknown> | null;
    classes: Array<{ name: string; subject: { code: string; name: string } | null }>;
    groups: Array<{ name: string }>;
    results: Array<{
      assessmentPoint: { name: string; rank: number };
      subject: { name: string };
      facet: string;
      grade: string;
      points: number;
    }>;
  }

  test('identity, characteristics, KS2, classes with subjects, groups and results', async () => {
    const { school, cookie } = await schoolWithPupils();
    const id = await idOf(school.id, cookie, ANNA.upn);
    const response = await get(`/api/v1/schools/${school.id}/pupils/${id}`, cookie);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<RecordBody>();
    assert.equal(body.id, id);
    assert.deepEqual(body.identity, {
      upn: ANNA.upn,
      identifierKind: 'upn',
      forename: 'Zqanna',
      surname: 'Xvsmithers',
      preferredForename: null,
      preferredSurname: null,
      displayName: ANNA.shown,
      dob: '2010-03-14',
      address: null,
      contacts: null,
      erased: false,
    });
    assert.deepEqual(body.characteristics, {
      yearGroup: 11,
      birthYear: 2010,
      birthMonth: 3,
      sex: 'F',
      ethnicity: { code: 'WBRI', label: 'White – British', group: 'White' },
      fsm: true,
      fsm6: null,
      disadvantaged: null,
      pupilPremium: null,
      sen: { code: 'K', label: 'SEN support' },
      eal: null,
      gifted: null,
      lookedAfter: null,
      previouslyLookedAfter: null,
      serviceChild: null,
      enrolmentStatus: null,
      startDate: null,
      leaveDate: null,
    });
    assert.equal(body.priorAttainment?.ks2ReadingScore, 104);
    assert.equal(body.priorAttainment?.ks2MathsScore, 108);
    assert.deepEqual(
      body.classes.map((entry) => [entry.name, entry.subject?.name ?? null]),
      [
        ['11A', null],
        ['11Ma1', 'Mathematics'],
      ],
    );
    assert.deepEqual(
      body.groups.map((group) => group.name),
      ['Zqchess'],
    );
    assert.deepEqual(
      body.results.map((result) => [
        result.assessmentPoint.name,
        result.subject.name,
        result.facet,
        result.grade,
        result.points,
      ]),
      [
        ['Y11 Autumn', 'English Language', 'achieved', '6', 6],
        ['Y11 Autumn', 'Mathematics', 'achieved', '5', 5],
        ['Y11 Autumn', 'Mathematics', 'target', '7', 7],
      ],
    );
  });

  test('reading a record is audited with the pupil’s pseudonymous id only', async () => {
    const { school, cookie } = await schoolWithPupils();
    const id = await idOf(school.id, cookie, BEN.upn);
    assert.equal((await get(`/api/v1/schools/${school.id}/pupils/${id}`, cookie)).statusCode, 200);
    const [event] = await auditEvents(school.id, 'pupils.read');
    assert.ok(event !== undefined, 'the read was recorded');
    assert.deepEqual(event.subject_ids, [id]);
    assert.equal(event.target, `pupil:${id}`);
    const recorded = JSON.stringify(event).toLowerCase();
    for (const secret of ['zqben', 'xvsmith', BEN.upn.toLowerCase(), '2010-07-02']) {
      assert.ok(!recorded.includes(secret), `the event holds no ${secret}`);
    }
  });

  test('an unknown id, or another school’s pupil, is 404 and says nothing of them', async () => {
    const { school, cookie } = await schoolWithPupils();
    const id = await idOf(school.id, cookie, ANNA.upn);
    const unknown = await get(`/api/v1/schools/${school.id}/pupils/${crypto.randomUUID()}`, cookie);
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json<ErrorBody>().message, 'That pupil was not found.');

    const other = await buildSchool(fixture.services);
    const otherLeader = await buildUser(fixture.services, 'senior_leader', other.id);
    const otherCookie = await signInAs(fixture.app, otherLeader.email);
    const crossed = await get(`/api/v1/schools/${other.id}/pupils/${id}`, otherCookie);
    assert.equal(crossed.statusCode, 404, 'through their own school, the pupil does not exist');
    assert.equal(crossed.json<ErrorBody>().message, 'That pupil was not found.');
    const direct = await get(`/api/v1/schools/${school.id}/pupils/${id}`, otherCookie);
    assert.equal(direct.statusCode, 404, 'and the other school does not exist for them');
    for (const response of [crossed, direct]) {
      assert.ok(!response.body.includes('Zqanna') && !response.body.includes(ANNA.upn));
    }
    assert.deepEqual(await found(other.id, otherCookie, ANNA.upn), { pupils: [], total: 0 });
    assert.deepEqual(await found(other.id, otherCookie, 'xvsmith'), { pupils: [], total: 0 });
  });
});

describe('teachers see only the pupils of their classes', () => {
  test('search, list and record are limited to the classes they teach; others are 404', async () => {
    const { school, cookie } = await schoolWithPupils();
    const annaId = await idOf(school.id, cookie, ANNA.upn);
    const benId = await idOf(school.id, cookie, BEN.upn);
    const teacher = await buildUser(fixture.services, 'teacher', school.id);
    const teacherCookie = await signInAs(fixture.app, teacher.email);
    assert.deepEqual(
      await found(school.id, teacherCookie, 'xvsmith'),
      { pupils: [], total: 0 },
      'no classes yet: no pupils',
    );

    const manager = await buildUser(fixture.services, 'data_manager', school.id);
    const managerCookie = await signInAs(fixture.app, manager.email);
    const maths = (await get(`/api/v1/schools/${school.id}/classes`, managerCookie))
      .json<Array<{ id: string; name: string }>>()
      .find((entry) => entry.name === '11Ma1');
    const assigned = await fixture.app.inject({
      method: 'PUT',
      url: `/api/v1/schools/${school.id}/classes/${maths?.id ?? ''}/teachers/${teacher.id}`,
      headers: { cookie: managerCookie },
    });
    assert.equal(assigned.statusCode, 204);

    assert.deepEqual(
      (await found(school.id, teacherCookie, 'xvsmith')).pupils.map((pupil) => pupil.id),
      [annaId],
    );
    assert.deepEqual(await found(school.id, teacherCookie, BEN.upn), { pupils: [], total: 0 });
    const listed = (await get(`/api/v1/schools/${school.id}/pupils`, teacherCookie)).json<{
      pupils: Item[];
    }>();
    assert.deepEqual(
      listed.pupils.map((pupil) => pupil.id),
      [annaId],
    );
    assert.equal((await get(`/api/v1/schools/${school.id}/pupils/${annaId}`, teacherCookie)).statusCode, 200);
    const hidden = await get(`/api/v1/schools/${school.id}/pupils/${benId}`, teacherCookie);
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.json<ErrorBody>().message, 'That pupil was not found.');
    const cursor = await get(`/api/v1/schools/${school.id}/pupils?cursor=${benId}`, teacherCookie);
    assert.equal(cursor.statusCode, 400, 'a cursor cannot reach a pupil they do not teach');
  });
});

describe('keys and erasure', () => {
  test('a cold key cache still reads every name; an erased pupil shows without names and breaks nothing', async () => {
    const { school, cookie } = await schoolWithPupils();
    const caraId = await idOf(school.id, cookie, CARA.upn);
    // The list remembers the name order (pupil-order.ts); the key goes without the row changing.
    const before = (await get(`/api/v1/schools/${school.id}/pupils`, cookie)).json<{ pupils: Item[] }>();
    assert.equal(before.pupils[0]?.displayName, CARA.shown);
    await fixture.services.db.withSchool(school.id, (trx) =>
      new SchoolVault(fixture.services.keyring, trx, school.id).shred(caraId),
    );
    // A fresh process: no key in memory, so the names' keys are loaded from the database.
    const cold = { ...fixture.services, keyring: new Keyring(fixture.services.keyring.provider) };
    const leader: SignedIn = {
      sessionId: 'test',
      userId: crypto.randomUUID(),
      twoFactor: false,
      actor: {
        userId: 'test',
        memberships: [{ orgId: school.id, orgKind: 'school', role: 'senior_leader' }],
      },
    };
    const searched = await searchPupils(cold, leader, school.id, { query: 'xvsmith', limit: 20 }, 'r-1');
    assert.deepEqual(
      searched.pupils.map((pupil) => pupil.displayName),
      [BEN.shown, ANNA.shown, DAN.shown],
    );
    const listed = await listPupils(cold, leader, school.id, { limit: 50 }, 'r-2');
    assert.deepEqual(
      listed.pupils.map((pupil) => [pupil.displayName, pupil.upn]),
      [
        [BEN.shown, BEN.upn],
        [ANNA.shown, ANNA.upn],
        [DAN.shown, DAN.upn],
        [null, null],
      ],
      'the erased pupil comes last, with no name or UPN',
    );
    const record = await readPupil(cold, leader, school.id, caraId, 'r-3');
    assert.equal(record.identity.erased, true);
    assert.equal(record.identity.upn, null);
    assert.equal(record.characteristics.yearGroup, 10, 'pseudonymised characteristics remain');
  });
});
