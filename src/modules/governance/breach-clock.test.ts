import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  countdownWords,
  formatLondon,
  icoDeadline,
  parseInstant,
  schoolNoticeTarget,
} from './breach-clock.ts';

const HOUR = 3_600_000;

describe('breach clocks', () => {
  test('aware at 01:30 on the Saturday before the clocks go forward: 72 real hours, shown in BST', () => {
    // 2026: the clocks go forward on Sunday 29 March at 01:00 GMT.
    const aware = parseInstant('2026-03-28T01:30', 'awareAt');
    assert.equal(aware.toISOString(), '2026-03-28T01:30:00.000Z');
    const deadline = icoDeadline(aware);
    assert.equal(deadline.getTime() - aware.getTime(), 72 * HOUR);
    assert.equal(deadline.toISOString(), '2026-03-31T01:30:00.000Z');
    assert.equal(formatLondon(aware), 'Sat 28 Mar 2026, 01:30 GMT');
    assert.equal(formatLondon(deadline), 'Tue 31 Mar 2026, 02:30 BST');
  });

  test('aware at 01:30 on the Saturday before the clocks go back: 72 real hours, shown in GMT', () => {
    // 2026: the clocks go back on Sunday 25 October at 02:00 BST.
    const aware = parseInstant('2026-10-24T01:30', 'awareAt');
    assert.equal(aware.toISOString(), '2026-10-24T00:30:00.000Z');
    const deadline = icoDeadline(aware);
    assert.equal(deadline.getTime() - aware.getTime(), 72 * HOUR);
    assert.equal(formatLondon(aware), 'Sat 24 Oct 2026, 01:30 BST');
    assert.equal(formatLondon(deadline), 'Tue 27 Oct 2026, 00:30 GMT');
  });

  test('the internal target to tell the schools is 24 hours from awareness', () => {
    const aware = new Date('2026-03-28T23:15:00Z');
    assert.equal(schoolNoticeTarget(aware).toISOString(), '2026-03-29T23:15:00.000Z');
    assert.equal(formatLondon(schoolNoticeTarget(aware)), 'Mon 30 Mar 2026, 00:15 BST');
  });

  test('an instant with an offset is taken as given', () => {
    assert.equal(parseInstant('2026-03-30T10:00:00+01:00', 'x').toISOString(), '2026-03-30T09:00:00.000Z');
    assert.equal(parseInstant('2026-03-30T09:00:00Z', 'x').toISOString(), '2026-03-30T09:00:00.000Z');
    assert.equal(formatLondon(new Date('2026-03-30T09:00:00Z')), 'Mon 30 Mar 2026, 10:00 BST');
  });

  test('a UK time skipped when the clocks go forward is refused, naming the field', () => {
    assert.throws(
      () => parseInstant('2026-03-29T01:30', 'body.awareAt'),
      (error: { status: number; fields: Array<{ field: string }> }) =>
        error.status === 400 && error.fields[0]?.field === 'body.awareAt',
    );
  });

  test('a UK time that happens twice (the clocks go back) is the first, in BST', () => {
    assert.equal(parseInstant('2026-10-25T01:30', 'x').toISOString(), '2026-10-25T00:30:00.000Z');
  });

  test('nonsense and impossible dates are refused', () => {
    for (const text of ['yesterday', '2026-02-30T10:00', '2026-13-01T10:00', '2026-03-30']) {
      assert.throws(() => parseInstant(text, 'body.awareAt'), { code: 'validation_failed' }, text);
    }
  });

  test('countdowns in words', () => {
    const deadline = new Date('2026-03-31T01:30:00Z');
    const before = (ms: number) => new Date(deadline.getTime() - ms);
    assert.equal(countdownWords(deadline, before(31 * HOUR + 20 * 60_000)), '31 hours left');
    assert.equal(countdownWords(deadline, before(HOUR)), '1 hour left');
    assert.equal(countdownWords(deadline, before(40 * 60_000)), '40 minutes left');
    assert.equal(countdownWords(deadline, deadline), '0 minutes left');
    assert.equal(countdownWords(deadline, before(-3 * HOUR - 59 * 60_000)), 'overdue by 3 hours');
    assert.equal(countdownWords(deadline, before(-60_000)), 'overdue by 1 minute');
    assert.equal(countdownWords(deadline, before(-5 * 24 * HOUR)), 'overdue by 5 days');
  });
});
