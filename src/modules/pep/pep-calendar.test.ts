import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectedPep, initialDueOn, nextTerm, reviewDueOn, termLabel, termOf } from './pep-calendar.ts';

describe('PEP deadlines in working days', () => {
  test('the initial PEP is due 10 working days after entering care, skipping weekends and bank holidays', () => {
    // Monday 2 November 2026: two plain weeks.
    assert.equal(initialDueOn('2026-11-02'), '2026-11-16');
    // Monday 21 December 2026: Christmas Day (Fri 25), Boxing Day's substitute (Mon 28) and New Year's
    // Day (Fri 1 January) are not working days.
    assert.equal(initialDueOn('2026-12-21'), '2027-01-07');
    // Entering care on a Saturday: counting starts from the next working day.
    assert.equal(initialDueOn('2026-11-07'), '2026-11-23');
  });

  test('termly reviews are due on the term’s review day, or the working day before it', () => {
    assert.equal(reviewDueOn('2026-autumn'), '2026-12-15');
    // 31 March 2029 is a Saturday and 30 March Good Friday.
    assert.equal(reviewDueOn('2028-spring'), '2029-03-29');
    // 15 July 2028 is a Saturday.
    assert.equal(reviewDueOn('2027-summer'), '2028-07-14');
  });

  test('terms follow the academic year', () => {
    assert.equal(termOf('2026-09-01'), '2026-autumn');
    assert.equal(termOf('2027-01-04'), '2026-spring');
    assert.equal(termOf('2027-08-31'), '2026-summer');
    assert.equal(nextTerm('2026-summer'), '2027-autumn');
    assert.equal(termLabel('2026-spring'), 'Spring 2027');
  });

  test('the term a child enters care needs the initial PEP, every later term a review, earlier terms none', () => {
    assert.deepEqual(expectedPep('2026-11-02', '2026-autumn'), { kind: 'initial', dueOn: '2026-11-16' });
    assert.deepEqual(expectedPep('2026-11-02', '2026-spring'), { kind: 'review', dueOn: '2027-03-31' });
    assert.equal(expectedPep('2026-11-02', '2025-summer'), undefined);
  });
});
