import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  birthdayAtAge,
  birthMonthAtAge,
  inactivityDeletionDay,
  inactivityWarnings,
  offboardingDeletionDay,
  periodProblem,
  RULES,
  ruleById,
} from './rules.ts';

describe('retention rules', () => {
  test('the three promises are the defaults', () => {
    assert.equal(ruleById('pupil_age').default, 25);
    assert.equal(ruleById('school_inactivity').default, 12);
    assert.equal(ruleById('school_offboarding').default, 5);
    assert.equal(ruleById('leaver_years').default, null);
    assert.equal(RULES.length, 4);
  });

  test('a school may shorten a period but never lengthen it or go below the minimum', () => {
    const age = ruleById('pupil_age');
    assert.equal(periodProblem(age, 25), undefined);
    assert.equal(periodProblem(age, 21), undefined);
    assert.match(periodProblem(age, 18) ?? '', /at least 21/, 'never a sixth former');
    assert.match(periodProblem(age, 26) ?? '', /never lengthened/);
    assert.match(periodProblem(age, 3) ?? '', /at least 21/);
    assert.match(periodProblem(ruleById('school_offboarding'), 1.5) ?? '', /whole number/);
    assert.equal(periodProblem(ruleById('leaver_years'), 40), undefined, 'an optional rule has no ceiling');
  });

  test('25th birthdays, 29 February included', () => {
    assert.equal(birthdayAtAge('2001-12-04', 25), '2026-12-04');
    // Born on 29 February: 1 March in a common year, 29 February in a leap year.
    assert.equal(birthdayAtAge('2012-02-29', 25), '2037-03-01');
    assert.equal(birthdayAtAge('2000-02-29', 24), '2024-02-29');
    assert.equal(birthMonthAtAge(2010, 7, 25), '2035-07-01');
  });

  test('inactivity: twelve calendar months, warned a month and a week before', () => {
    const day = inactivityDeletionDay('2026-01-31', 12);
    assert.equal(day, '2027-01-31');
    assert.deepEqual(inactivityWarnings(day), [
      { stage: 'month_before', on: '2026-12-31' },
      { stage: 'week_before', on: '2027-01-24' },
    ]);
  });

  test('leaving on the Thursday before Easter counts five working days past the bank holidays', () => {
    // 2027: Good Friday 26 March, Easter Monday 29 March.
    assert.equal(offboardingDeletionDay('2027-03-25', 5), '2027-04-05');
    // A Friday: the next Friday (no bank holiday in between).
    assert.equal(offboardingDeletionDay('2026-11-20', 5), '2026-11-27');
    // Over Christmas 2026: 25 Dec (Fri) and the substitute 28 Dec (Mon) are bank holidays.
    assert.equal(offboardingDeletionDay('2026-12-23', 5), '2027-01-04');
  });
});
