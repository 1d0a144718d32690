import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import { ResultKeys, type EarlierResult } from './result-keys.ts';

const FACETS: Facet[] = ['achieved', 'target', 'prediction', 'baseline'];

/** A small deterministic generator, so a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

test('finds every repeated key with its first row and grade, as a plain map does', () => {
  const random = generator(7);
  const keys = new ResultKeys();
  const plain = new Map<string, EarlierResult>();
  // Enough keys that every table grows several times; many repeats, some with another grade.
  for (let row = 2; row < 60_000; row += 1) {
    const pupil = `upn:p${Math.floor(random() * 1_500)}`;
    const subject = `subject${Math.floor(random() * 12)}`;
    const point = `point${Math.floor(random() * 3)}`;
    const facet = FACETS[Math.floor(random() * FACETS.length)] ?? 'achieved';
    const grade = String(Math.floor(random() * 10));
    const text = `${pupil}|${subject}|${point}|${facet}`;
    const expected = plain.get(text);
    if (expected === undefined) {
      plain.set(text, { row, grade });
    }
    assert.deepEqual(keys.earlier(pupil, subject, point, facet, row, grade), expected, `row ${row}`);
  }
});

test('keys past the 32-bit packing (over 64 subjects or points, over 262,143 pupils) are found as exactly', () => {
  const random = generator(11);
  const keys = new ResultKeys();
  const plain = new Map<string, EarlierResult>();
  const check = (pupil: string, subject: string, point: string, facet: Facet, row: number, grade: string) => {
    const text = `${pupil}|${subject}|${point}|${facet}`;
    const expected = plain.get(text);
    if (expected === undefined) {
      plain.set(text, { row, grade });
    }
    assert.deepEqual(keys.earlier(pupil, subject, point, facet, row, grade), expected, `row ${row}`);
  };
  // Subjects and points numbered past 64 share the file with those below; the same packed number in
  // the two packings must not be taken for the same key.
  let row = 2;
  const first = { subject: '', point: '' };
  for (; row < 40_000; row += 1) {
    const subject = `subject${Math.floor(random() * 100)}`;
    const point = `point${Math.floor(random() * 80)}`;
    first.subject ||= subject;
    first.point ||= point;
    check(`upn:p${Math.floor(random() * 200)}`, subject, point, 'achieved', row, String(row % 7));
  }
  // Pupils numbered past 262,143 (a first result each, with the subject and point numbered 0), then
  // repeats of the earliest and the latest.
  for (let pupil = 0; pupil < 262_200; pupil += 1, row += 1) {
    check(`upn:q${pupil}`, first.subject, first.point, 'target', row, '5');
  }
  for (const pupil of [0, 1, 261_943, 261_944, 262_199]) {
    check(`upn:q${pupil}`, first.subject, first.point, 'target', row, '6');
    row += 1;
  }
});

test('keeps first rows and grades that do not fit a slot (rows past 16 million, over 256 grades)', () => {
  const keys = new ResultKeys();
  for (let grade = 0; grade < 300; grade += 1) {
    assert.equal(keys.earlier('upn:a', `s${grade}`, 'p', 'achieved', 2 + grade, `g${grade}`), undefined);
  }
  assert.deepEqual(keys.earlier('upn:a', 's299', 'p', 'achieved', 9_999, 'x'), { row: 301, grade: 'g299' });
  assert.deepEqual(keys.earlier('upn:a', 's3', 'p', 'achieved', 9_999, 'x'), { row: 5, grade: 'g3' });
  assert.equal(keys.earlier('upn:b', 's1', 'p', 'target', 20_000_000, 'g1'), undefined);
  assert.deepEqual(keys.earlier('upn:b', 's1', 'p', 'target', 20_000_001, 'g2'), {
    row: 20_000_000,
    grade: 'g1',
  });
});
