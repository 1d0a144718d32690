import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Pillar } from '../curriculum/catalogue.ts';
import { PILLARS } from '../curriculum/catalogue.ts';
import { attainment8, attainment8Score, type SubjectGrade } from './attainment8.ts';
import { ESTIMATES_YEARS, estimatesById, latestEstimates } from './estimates.ts';
import { priorAttainment, priorAttainmentBand, priorAttainmentGroup } from './prior-attainment.ts';
import { banding, pupilProgress8, schoolProgress8 } from './progress8.ts';

const grade = (subject: string, pillar: Pillar, points: number, code = String(points)): SubjectGrade => ({
  subject,
  subjectName: subject,
  pillar,
  grade: code,
  points,
});

const ks2 = (
  reading: number | null,
  maths: number | null,
  extra: Partial<Parameters<typeof priorAttainment>[0] & object> = {},
) => ({
  readingScore: reading,
  readingOutcome: null,
  mathsScore: maths,
  mathsOutcome: null,
  readingTa: null,
  mathsTa: null,
  ...extra,
});

describe('prior attainment', () => {
  test('group boundaries: 82 | 82.5, 99.5 | 100, 109.5 | 110, 119 | 119.5', () => {
    assert.equal(priorAttainmentGroup(59), 1);
    assert.equal(priorAttainmentGroup(82), 1);
    assert.equal(priorAttainmentGroup(82.5), 2);
    assert.equal(priorAttainmentGroup(87.5), 3);
    assert.equal(priorAttainmentGroup(88), 4);
    assert.equal(priorAttainmentGroup(99.5), 14);
    assert.equal(priorAttainmentGroup(100), 14);
    assert.equal(priorAttainmentGroup(100.5), 15);
    assert.equal(priorAttainmentGroup(109.5), 24);
    assert.equal(priorAttainmentGroup(110), 24);
    assert.equal(priorAttainmentGroup(119), 33);
    assert.equal(priorAttainmentGroup(119.5), 34);
    assert.equal(priorAttainmentGroup(120), 34);
  });

  test('every group in the DfE file: both ends of its published range fall in that group', () => {
    const rows = parse(
      readFileSync(path.join(import.meta.dirname, 'data', 'dfe_p8_att8_splits_2024_provisional.csv'), 'utf8'),
      {
        from: 2,
      },
    ) as unknown;
    assert.ok(Array.isArray(rows));
    let checked = 0;
    for (const row of rows) {
      const [group, range] = Array.isArray(row) ? row.map(String) : [];
      const [from, to] = (range ?? '').split(' to ').map(Number);
      if (group === undefined || from === undefined || to === undefined) {
        continue;
      }
      assert.equal(priorAttainmentGroup(from), Number(group), `${range} starts group ${group}`);
      assert.equal(priorAttainmentGroup(to), Number(group), `${range} ends group ${group}`);
      checked += 1;
    }
    assert.equal(checked, 34);
  });

  test('bands: low below 100, middle up to 109.5, high from 110 exactly', () => {
    assert.equal(priorAttainmentBand(99.5), 'low');
    assert.equal(priorAttainmentBand(100), 'middle');
    assert.equal(priorAttainmentBand(109.5), 'middle');
    assert.equal(priorAttainmentBand(110), 'high');
  });

  test('N counts as 79; pre-key-stage teacher assessments become nominal scores; nothing usable means no P8', () => {
    assert.deepEqual(priorAttainment(ks2(null, null, { readingOutcome: 'N', mathsOutcome: 'N' })), {
      average: 79,
      group: 1,
      band: 'low',
    });
    assert.equal(priorAttainment(ks2(105, 110)).average, 107.5);
    assert.equal(priorAttainment(ks2(null, 104, { readingTa: 'PK3' })).average, 87);
    assert.equal(
      priorAttainment(ks2(null, 101, { readingOutcome: 'A' })).average,
      101,
      'one usable subject alone',
    );
    const none = priorAttainment(ks2(null, null, { readingOutcome: 'A', mathsOutcome: 'A' }));
    assert.equal(none.group, null);
    assert.match(none.missing ?? '', /no usable KS2/);
    assert.equal(priorAttainment(undefined).missing, 'no KS2 results');
  });
});

describe('Attainment 8', () => {
  test('a full profile: English doubled when both taken, maths doubled, combined science fills two EBacc slots', () => {
    const result = attainment8([
      grade('english_language', 'english_language', 6),
      grade('english_literature', 'english_literature', 5),
      grade('maths', 'maths', 7),
      grade('combined_science', 'combined_science', 5.5, '6-5'),
      grade('history', 'history', 4),
      grade('french', 'language', 3),
      grade('art_design', 'other', 8),
      grade('music', 'other', 2),
    ]);
    assert.deepEqual(result.elements, { english: 12, maths: 14, ebacc: 15, open: 16 });
    assert.equal(result.total, 57);
    // Combined science 5.5 ×2 and history 4 fill EBacc; French (3), the spare English (5) and art (8)
    // compete for open with music (2): art 8, literature 5, French 3.
    assert.deepEqual(
      result.slots.filter((slot) => slot.element === 'open').map((slot) => slot.subject),
      ['art_design', 'english_literature', 'french'],
    );
    assert.deepEqual(result.unused, [{ subject: 'music', grade: '2', points: 2 }]);
    assert.equal(result.ebaccSlotsFilled, 3);
  });

  test('a single English counts once, with the second English slot empty and saying why', () => {
    const result = attainment8([
      grade('english_language', 'english_language', 6),
      grade('maths', 'maths', 5),
    ]);
    assert.equal(result.elements.english, 6);
    const second = result.slots.find((slot) => slot.element === 'english' && slot.position === 2);
    assert.equal(second?.subject, undefined);
    assert.match(second?.why ?? '', /only when both/);
  });

  test('empty slots score 0; U scores 0; the maximum is 90', () => {
    assert.equal(attainment8([]).total, 0);
    assert.equal(attainment8([grade('maths', 'maths', 0, 'U')]).elements.maths, 0);
    const nines = attainment8([
      grade('english_language', 'english_language', 9),
      grade('english_literature', 'english_literature', 9),
      grade('maths', 'maths', 9),
      grade('biology', 'science', 9),
      grade('chemistry', 'science', 9),
      grade('physics', 'science', 9),
      grade('history', 'history', 9),
      grade('geography', 'geography', 9),
      grade('art_design', 'other', 9),
    ]);
    assert.deepEqual(nines.elements, { english: 18, maths: 18, ebacc: 27, open: 27 });
    assert.equal(nines.total, 90);
  });

  test('the spare EBacc subjects go into open; every slot says why', () => {
    const result = attainment8([
      grade('biology', 'science', 7),
      grade('chemistry', 'science', 6),
      grade('physics', 'science', 5),
      grade('history', 'history', 4),
      grade('geography', 'geography', 3),
    ]);
    assert.equal(result.elements.ebacc, 18);
    assert.equal(result.elements.open, 7);
    assert.ok(result.slots.every((slot) => slot.why.length > 0));
    assert.equal(result.slots.length, 10);
  });
});

describe('Attainment 8 score without the slots', () => {
  test('equals the explained slotting on 20,000 random profiles (ties, spares, double awards, nothing)', () => {
    // A small fixed-seed generator (mulberry32): the same profiles every run.
    let seed = 20261205;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const POINTS = [0, 1, 2, 3, 4, 4.5, 5, 5.5, 6, 7, 8, 8.5, 9];
    for (let profile = 0; profile < 20_000; profile += 1) {
      const grades = Array.from({ length: Math.floor(random() * 14) }, (_, index) => {
        const pillar = PILLARS[Math.floor(random() * PILLARS.length)] ?? 'other';
        return grade(`s${index}`, pillar, POINTS[Math.floor(random() * POINTS.length)] ?? 0);
      });
      const explained = attainment8(grades);
      assert.deepEqual(
        attainment8Score(grades),
        { total: explained.total, elements: explained.elements },
        JSON.stringify(grades),
      );
    }
  });
});

describe('Progress 8', () => {
  test('the DfE example: reading N and maths N → PAG 1 → estimate 15.96 (2024); A8 0 scores −1.596', () => {
    const estimates = estimatesById('2024_provisional');
    assert.ok(estimates);
    const prior = priorAttainment(ks2(null, null, { readingOutcome: 'N', mathsOutcome: 'N' }));
    const result = pupilProgress8(attainment8([]), prior, estimates);
    assert.equal(result.estimate, 15.96);
    assert.equal(Number(result.progress8?.toFixed(3)), -1.596);
  });

  test('element scores divide by their slots; no KS2 means no P8, with the reason', () => {
    const estimates = latestEstimates();
    const a8 = attainment8([grade('english_language', 'english_language', 6), grade('maths', 'maths', 6)]);
    const result = pupilProgress8(a8, priorAttainment(ks2(100, 100)), estimates);
    const expected = estimates.byGroup.get(14);
    assert.ok(expected && result.elements);
    assert.equal(result.elements.maths, (12 - expected.maths) / 2);
    assert.equal(result.elements.open, (0 - expected.open) / 3);
    const none = pupilProgress8(a8, priorAttainment(undefined), estimates);
    assert.equal(none.progress8, null);
    assert.equal(none.missing, 'no KS2 results');
  });

  test('school P8: mean, 95% interval from the national SD, and the DfE bands at their edges', () => {
    const school = schoolProgress8([0.2, 0.4, 0.6, 0.8], 1.41628);
    assert.ok(school);
    assert.equal(Number(school.progress8.toFixed(6)), 0.5);
    assert.equal(
      Number((school.upper - school.lower).toFixed(6)),
      Number(((2 * 1.96 * 1.41628) / 2).toFixed(6)),
    );
    assert.equal(banding(0.6, 0.1, 1.1), 'well_above_average');
    assert.equal(banding(0.5, 0.1, 0.9), 'above_average', '0.5 exactly is not well above');
    assert.equal(banding(0.1, -0.1, 0.3), 'average');
    assert.equal(banding(-0.3, -0.5, -0.1), 'below_average');
    assert.equal(banding(-0.6, -1.1, -0.1), 'well_below_average');
    assert.equal(schoolProgress8([], 1.4), undefined);
  });

  test('every shipped estimates year has 34 groups, and the latest is 2024 provisional', () => {
    assert.deepEqual(
      ESTIMATES_YEARS.map((entry) => entry.id),
      ['2022_revised', '2023_provisional', '2023_revised', '2024_provisional'],
    );
    assert.equal(latestEstimates().id, '2024_provisional');
    assert.ok(latestEstimates().deviations);
  });
});
