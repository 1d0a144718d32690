import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { importCsvLines } from '../../../test/support/imports.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { syntheticUpn } from '../../../test/support/pupil-files.ts';
import { csvLine, PUPILS_HEADER, RESULTS_HEADER, syntheticSchool } from '../imports/synthetic.ts';
import { estimatesById } from './estimates.ts';

const fixture = useTestApp();

const importCsv = (schoolId: string, text: string) =>
  importCsvLines(
    fixture.services,
    schoolId,
    text.split('\n').filter((line) => line !== ''),
  );

function results(upn: string, grades: Array<[string, string]>): string[] {
  return grades.map(([subject, grade]) => `${upn},${subject},Y11 Summer,achieved,${grade}`);
}

/** Three pupils whose figures are worked out by hand from the DfE rules. */
async function handWorkedSchool() {
  const school = await buildSchool(fixture.services);
  const [one, two, three] = [syntheticUpn(1), syntheticUpn(2), syntheticUpn(3)];
  await importCsv(
    school.id,
    [
      'upn,forename,surname,year_group,class,ks2_reading_score,ks2_maths_score',
      `${one},Zqa,Xva,11,11A,105,110`,
      `${two},Zqb,Xvb,11,11B,N,N`,
      `${three},Zqc,Xvc,11,11B,,`,
    ].join('\n'),
  );
  await importCsv(
    school.id,
    [
      'upn,subject,assessment_point,facet,grade',
      ...results(one, [
        ['English Language', '6'],
        ['English Literature', '5'],
        ['Maths', '7'],
        ['Combined Science', '6-5'],
        ['History', '4'],
        ['French', '3'],
        ['Art & Design', '8'],
        ['Music', '2'],
      ]),
      ...results(two, [
        ['English Language', '3'],
        ['Maths', '2'],
      ]),
      ...results(three, [
        ['Maths', '5'],
        ['English Literature', '5'],
      ]),
      `${one},Maths,Y11 Summer,target,8`,
    ].join('\n'),
  );
  const leader = await buildUser(fixture.services, 'senior_leader', school.id);
  return { school, cookie: await signInAs(fixture.app, leader.email) };
}

function get(url: string, cookie: string) {
  return fixture.app.inject({ method: 'GET', url, headers: { cookie } });
}

interface HeadlineBody {
  scope: { assessmentPoint: { name: string } | null; facet: string; estimates: string; empty?: string };
  pupils: number;
  attainment8: number | null;
  progress8: { pupils: number; progress8: number; lower: number; upper: number; banding: string } | null;
  progress8Missing?: string;
  basicsStandard: number | null;
  basicsStrong: number | null;
  ebaccEntry: number | null;
  ebaccAps: number | null;
}

describe('analysis API', () => {
  test('headline figures match the hand-worked cohort', async () => {
    const { school, cookie } = await handWorkedSchool();
    const response = await get(`/api/v1/schools/${school.id}/analysis/headline`, cookie);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<HeadlineBody>();
    assert.equal(body.scope.assessmentPoint?.name, 'Y11 Summer');
    assert.equal(body.scope.estimates, '2024_provisional');
    assert.equal(body.pupils, 3);
    // A8: 57 (full profile), 7 (single English 3 + maths 2×2), 15 (literature 5 + maths 5×2).
    assert.equal(Number(body.attainment8?.toFixed(6)), Number((79 / 3).toFixed(6)));
    const estimates = estimatesById('2024_provisional');
    const group22 = estimates?.byGroup.get(22)?.attainment8 ?? Number.NaN;
    const group1 = estimates?.byGroup.get(1)?.attainment8 ?? Number.NaN;
    const expected = ((57 - group22) / 10 + (7 - group1) / 10) / 2;
    assert.equal(body.progress8?.pupils, 2, 'the pupil without KS2 has no Progress 8');
    assert.equal(Number(body.progress8?.progress8.toFixed(9)), Number(expected.toFixed(9)));
    const margin = (1.96 * (estimates?.deviations?.progress8 ?? 0)) / Math.sqrt(2);
    assert.equal(Number(body.progress8?.lower.toFixed(9)), Number((expected - margin).toFixed(9)));
    assert.equal(Number(body.basicsStandard?.toFixed(6)), Number((2 / 3).toFixed(6)));
    assert.equal(Number(body.basicsStrong?.toFixed(6)), Number((2 / 3).toFixed(6)));
    assert.equal(Number(body.ebaccEntry?.toFixed(6)), Number((1 / 3).toFixed(6)));
    // EBacc APS: (6 + 7 + 5.5 + 5.5 + 4 + 3) / 6, (0 + 2) / 6 and (0 + 5) / 6.
    assert.equal(Number(body.ebaccAps?.toFixed(3)), Number(((31 / 6 + 2 / 6 + 5 / 6) / 3).toFixed(3)));
  });

  test('pupil-level Progress 8 explains each slot and says why a pupil has no score', async () => {
    const { school, cookie } = await handWorkedSchool();
    const body = (await get(`/api/v1/schools/${school.id}/analysis/progress8`, cookie)).json<{
      pupils: Array<{
        attainment8: { total: number; slots: Array<{ element: string; subject?: string; why: string }> };
        prior: { group: number | null };
        progress8: number | null;
        progress8Missing?: string;
      }>;
    }>();
    const byTotal = new Map(body.pupils.map((pupil) => [pupil.attainment8.total, pupil]));
    assert.deepEqual(
      [...byTotal.keys()].sort((a, b) => a - b),
      [7, 15, 57],
    );
    assert.equal(byTotal.get(57)?.prior.group, 22);
    assert.equal(byTotal.get(15)?.progress8, null);
    assert.equal(byTotal.get(15)?.progress8Missing, 'no KS2 results');
    const open = byTotal.get(57)?.attainment8.slots.filter((slot) => slot.element === 'open');
    assert.deepEqual(
      open?.map((slot) => slot.subject),
      ['art_design', 'english_literature', 'french'],
    );
    assert.ok(byTotal.get(7)?.attainment8.slots.every((slot) => slot.why !== ''));
  });

  test('targets as the facet give a projected view; no grades or no KS2 are said in words, not zeros', async () => {
    const { school, cookie } = await handWorkedSchool();
    const targets = (
      await get(`/api/v1/schools/${school.id}/analysis/headline?facet=target`, cookie)
    ).json<HeadlineBody>();
    assert.equal(targets.pupils, 1);
    assert.equal(targets.attainment8, 16);

    const empty = await buildSchool(fixture.services);
    const leader = await buildUser(fixture.services, 'senior_leader', empty.id);
    const nothing = (
      await get(`/api/v1/schools/${empty.id}/analysis/headline`, await signInAs(fixture.app, leader.email))
    ).json<HeadlineBody>();
    assert.equal(nothing.pupils, 0);
    assert.equal(nothing.attainment8, null);
    assert.match(nothing.scope.empty ?? '', /import results first/);

    const noKs2 = await buildSchool(fixture.services);
    await importCsv(noKs2.id, `upn,forename,surname,year_group\n${syntheticUpn(9)},Zq,Xv,11\n`);
    await importCsv(noKs2.id, `upn,subject,assessment_point,grade\n${syntheticUpn(9)},Maths,Y11 Summer,5\n`);
    const other = await buildUser(fixture.services, 'senior_leader', noKs2.id);
    const cohort = (
      await get(`/api/v1/schools/${noKs2.id}/analysis/headline`, await signInAs(fixture.app, other.email))
    ).json<HeadlineBody>();
    assert.equal(cohort.progress8, null);
    assert.match(cohort.progress8Missing ?? '', /2025 and 2026 sat no KS2 tests/);
  });

  test('a teacher sees only the pupils of the classes they teach', async () => {
    const { school } = await handWorkedSchool();
    const teacher = await buildUser(fixture.services, 'teacher', school.id);
    const cookie = await signInAs(fixture.app, teacher.email);
    const before = (await get(`/api/v1/schools/${school.id}/analysis/headline`, cookie)).json<HeadlineBody>();
    assert.equal(before.pupils, 0, 'no classes yet: no pupils');
    const manager = await buildUser(fixture.services, 'data_manager', school.id);
    const managerCookie = await signInAs(fixture.app, manager.email);
    const classes = (await get(`/api/v1/schools/${school.id}/classes`, managerCookie)).json<
      Array<{ id: string; name: string; pupils: number }>
    >();
    const form = classes.find((entry) => entry.name === '11B');
    assert.equal(form?.pupils, 2);
    const assign = (userId: string) =>
      fixture.app.inject({
        method: 'PUT',
        url: `/api/v1/schools/${school.id}/classes/${form?.id ?? ''}/teachers/${userId}`,
        headers: { cookie: managerCookie },
      });
    const outsider = await buildUser(fixture.services, 'teacher', (await buildSchool(fixture.services)).id);
    assert.equal(
      (await assign(outsider.id)).statusCode,
      404,
      'only this school’s staff can teach its classes',
    );
    assert.equal((await assign(teacher.id)).statusCode, 204);
    const after = (await get(`/api/v1/schools/${school.id}/analysis/headline`, cookie)).json<HeadlineBody>();
    assert.equal(after.pupils, 2, 'the two pupils of 11B');
    const unassign = () =>
      fixture.app.inject({
        method: 'DELETE',
        url: `/api/v1/schools/${school.id}/classes/${form?.id ?? ''}/teachers/${teacher.id}`,
        headers: { cookie: managerCookie },
      });
    assert.equal((await unassign()).statusCode, 204);
    assert.equal((await unassign()).statusCode, 404);
    assert.equal(
      (await get(`/api/v1/schools/${school.id}/analysis/headline`, cookie)).json<HeadlineBody>().pupils,
      0,
    );
  });

  test('an unknown estimates year or assessment point is a clear 400 or 404', async () => {
    const { school, cookie } = await handWorkedSchool();
    const year = await get(`/api/v1/schools/${school.id}/analysis/headline?estimates=2019_revised`, cookie);
    assert.equal(year.statusCode, 400);
    assert.equal(year.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, 'estimates');
    const point = await get(
      `/api/v1/schools/${school.id}/analysis/headline?assessmentPoint=00000000-0000-4000-8000-000000000000`,
      cookie,
    );
    assert.equal(point.statusCode, 404);
  });
});

describe('subgroup gaps', () => {
  interface GapsBody {
    minGroupSize: number;
    cohort: { pupils: number; attainment8: number };
    dimensions: Array<{
      dimension: string;
      groups: Array<{
        value: string;
        pupils: number | null;
        suppressed: boolean;
        measures: { attainment8: number } | null;
        gaps: { attainment8: number | null } | null;
      }>;
    }>;
  }

  test('each group beside the rest of the cohort; the groups add up to the cohort', async () => {
    const school = await buildSchool(fixture.services);
    const cohort = syntheticSchool(3, 60, 8);
    await importCsv(school.id, [PUPILS_HEADER, ...cohort.pupils].map((row) => csvLine(row)).join('\n'));
    await importCsv(school.id, [RESULTS_HEADER, ...cohort.results].map((row) => csvLine(row)).join('\n'));
    const leader = await buildUser(fixture.services, 'senior_leader', school.id);
    const cookie = await signInAs(fixture.app, leader.email);
    const response = await get(`/api/v1/schools/${school.id}/analysis/gaps?dimension=sex`, cookie);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<GapsBody>();
    assert.equal(body.minGroupSize, 5);
    const [sex] = body.dimensions;
    const female = sex?.groups.find((group) => group.value === 'F');
    const male = sex?.groups.find((group) => group.value === 'M');
    assert.ok(female?.measures && male?.measures && female.pupils !== null && male.pupils !== null);
    assert.equal(female.pupils + male.pupils, body.cohort.pupils);
    const weighted =
      (female.measures.attainment8 * female.pupils + male.measures.attainment8 * male.pupils) /
      body.cohort.pupils;
    assert.equal(Number(weighted.toFixed(9)), Number(body.cohort.attainment8.toFixed(9)));
    assert.equal(
      Number(female.gaps?.attainment8?.toFixed(9)),
      Number((female.measures.attainment8 - male.measures.attainment8).toFixed(9)),
    );
  });

  test('groups smaller than the minimum, or whose rest is, show neither figures nor their size', async () => {
    const { school, cookie } = await handWorkedSchool();
    const body = (
      await get(`/api/v1/schools/${school.id}/analysis/gaps?minGroupSize=3`, cookie)
    ).json<GapsBody>();
    assert.equal(body.cohort.pupils, 3);
    const groups = body.dimensions.flatMap((dimension) => dimension.groups);
    assert.ok(groups.length > 0);
    for (const group of groups) {
      // Three pupils: any group of 1–2 is small, and a group of all three has no rest to compare with.
      if (group.suppressed) {
        assert.equal(group.pupils, null);
        assert.equal(group.measures, null);
      } else {
        assert.equal(group.pupils, 3);
        assert.equal(group.gaps, null);
      }
    }
    const tooSmall = await get(`/api/v1/schools/${school.id}/analysis/gaps?minGroupSize=1`, cookie);
    assert.equal(tooSmall.statusCode, 400);
  });
});

describe('targets, residuals and flight paths', () => {
  test('above / on / below target counted per subject, with the hand-worked pupil', async () => {
    const { school, cookie } = await handWorkedSchool();
    // Pupil one: maths 7 against a target of 8 → below. No other targets.
    const body = (await get(`/api/v1/schools/${school.id}/analysis/targets`, cookie)).json<{
      point: { name: string };
      targetPoint: { name: string };
      tracking: {
        overall: { above: number; on: number; below: number; total: number };
        bySubject: Array<{ subject: string; below: number }>;
      };
      pupils: Array<{ subject: string; grade: string; target: string; status: string }>;
    }>();
    assert.equal(body.point.name, 'Y11 Summer');
    assert.equal(body.targetPoint.name, 'Y11 Summer');
    assert.deepEqual(body.tracking.overall, { above: 0, on: 0, below: 1, total: 1 });
    assert.deepEqual(
      body.pupils.map(({ subject, grade, target, status }) => ({ subject, grade, target, status })),
      [{ subject: 'maths', grade: '7', target: '8', status: 'below' }],
    );
  });

  test('residuals: each grade against the pupil’s other subjects, averaged per subject', async () => {
    const { school, cookie } = await handWorkedSchool();
    const body = (await get(`/api/v1/schools/${school.id}/analysis/residuals`, cookie)).json<{
      bySubject: Array<{ subject: string; pupils: number; meanResidual: number }>;
    }>();
    const maths = body.bySubject.find((entry) => entry.subject === 'maths');
    // Pupil one: 7 − mean(6, 5, 5.5, 4, 3, 8, 2) = 7 − 33.5/7; pupil two: 2 − 3; pupil three: 5 − 5.
    const expected = (7 - 33.5 / 7 + (2 - 3) + (5 - 5)) / 3;
    assert.equal(maths?.pupils, 3);
    assert.equal(Number(maths?.meanResidual.toFixed(9)), Number(expected.toFixed(9)));
  });

  test('a flight path lists a pupil’s grades point by point; another school’s or an unseen pupil is 404', async () => {
    const { school, cookie } = await handWorkedSchool();
    const p8 = (await get(`/api/v1/schools/${school.id}/analysis/progress8`, cookie)).json<{
      pupils: Array<{ pupilId: string; attainment8: { total: number } }>;
    }>();
    const pupilId = p8.pupils.find((pupil) => pupil.attainment8.total === 57)?.pupilId ?? '';
    const path = (await get(`/api/v1/schools/${school.id}/analysis/flight-path/${pupilId}`, cookie)).json<{
      subjects: Array<{ subject: string; points: Array<{ facet: string; grade: string }> }>;
    }>();
    const maths = path.subjects.find((subject) => subject.subject === 'maths');
    assert.deepEqual(
      maths?.points
        .map(({ facet, grade }) => ({ facet, grade }))
        .sort((a, b) => a.facet.localeCompare(b.facet)),
      [
        { facet: 'achieved', grade: '7' },
        { facet: 'target', grade: '8' },
      ],
    );
    const teacher = await buildUser(fixture.services, 'teacher', school.id);
    const teacherCookie = await signInAs(fixture.app, teacher.email);
    assert.equal(
      (await get(`/api/v1/schools/${school.id}/analysis/flight-path/${pupilId}`, teacherCookie)).statusCode,
      404,
    );
    const unknown = '00000000-0000-4000-8000-000000000001';
    assert.equal(
      (await get(`/api/v1/schools/${school.id}/analysis/flight-path/${unknown}`, cookie)).statusCode,
      404,
    );
  });
});

describe('report downloads', () => {
  test('CSV and XLSX of a report; a value that looks like a formula stays text', async () => {
    const { school, cookie } = await handWorkedSchool();
    const csv = await get(`/api/v1/schools/${school.id}/analysis/headline/export`, cookie);
    assert.equal(csv.statusCode, 200, csv.body);
    assert.match(csv.headers['content-type'] ?? '', /text\/csv/);
    assert.match(csv.body, /^measure,value\r\n/);
    assert.match(csv.body, /\r\npupils,3\r\n/);
    const p8 = await get(`/api/v1/schools/${school.id}/analysis/progress8/export?format=xlsx`, cookie);
    assert.equal(p8.statusCode, 200);
    assert.match(p8.headers['content-disposition'] ?? '', /haven-progress8\.xlsx/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(p8.rawPayload).buffer);
    const sheet = workbook.worksheets[0];
    assert.equal(sheet?.getCell('A1').value, 'pupil id');
    assert.equal(sheet?.rowCount, 4, 'a header and three pupils');
    const gaps = await get(`/api/v1/schools/${school.id}/analysis/gaps/export?minGroupSize=3`, cookie);
    assert.match(gaps.body.split('\r\n')[0] ?? '', /^dimension,group,pupils,attainment 8,attainment 8 gap/);
    assert.equal((await get(`/api/v1/schools/${school.id}/analysis/league/export`, cookie)).statusCode, 400);
  });
});
