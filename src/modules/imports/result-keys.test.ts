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
