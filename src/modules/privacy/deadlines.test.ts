import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assert as checkProperty, date as anyDate, integer, property } from 'fast-check';
import {
  addCalendarMonths,
  isWorkingDay,
  onOrNextWorkingDay,
  addWorkingDays,
} from '../../platform/calendar/working-days.ts';
import { dueDate, firstDueDate, urgencyOf, type ClockFacts } from './deadlines.ts';

const running = (receivedOn: string, extra: Partial<ClockFacts> = {}): ClockFacts => ({
  receivedOn,
  extensionMonths: 0,
  pausedDays: 0,
  pausedSince: null,
  ...extra,
});

describe('the one-month clock', () => {
  test('received 31 January is due on the last day of February, or the next working day', () => {
    // 2026: 28 February is a Saturday → Monday 2 March.
    assert.equal(firstDueDate('2026-01-31'), '2026-03-02');
    // 2025: 28 February is a Friday.
    assert.equal(firstDueDate('2025-01-31'), '2025-02-28');
    // 2028 is a leap year: 29 February, a Tuesday.
    assert.equal(firstDueDate('2028-01-31'), '2028-02-29');
  });

  test('the same date next month when it exists', () => {
    assert.equal(firstDueDate('2026-09-03'), '2026-10-05'); // 3 October 2026 is a Saturday
    assert.equal(firstDueDate('2026-11-10'), '2026-12-10');
  });

  test('received on a Friday before a bank holiday Monday: due a month later, rolled past the holiday', () => {
    // Friday 1 May 2026, before the Early May bank holiday (Monday 4 May): due Monday 1 June.
    assert.equal(firstDueDate('2026-05-01'), '2026-06-01');
    // Friday 24 April 2026 → Sunday 24 May → Monday 25 May is the Spring bank holiday → Tuesday 26 May.
    assert.equal(firstDueDate('2026-04-24'), '2026-05-26');
    // Received 26 November 2026 → Saturday 26 December → Monday 28th is the substitute Boxing Day → 29th.
    assert.equal(firstDueDate('2026-11-26'), '2026-12-29');
  });

  test('an extension adds up to two further months, counted from receipt', () => {
    assert.equal(dueDate(running('2026-01-31', { extensionMonths: 2 }), '2026-02-01'), '2026-04-30');
    assert.equal(dueDate(running('2026-01-15', { extensionMonths: 1 }), '2026-01-15'), '2026-03-16');
    // Never more than two.
    assert.equal(
      dueDate(running('2026-01-15', { extensionMonths: 5 }), '2026-01-15'),
      dueDate(running('2026-01-15', { extensionMonths: 2 }), '2026-01-15'),
    );
  });

  test('stopping the clock adds the days it stood still', () => {
    // Received 10 November 2026 (due 10 December); paused 12 to 19 November: 7 days → 17 December.
    assert.equal(dueDate(running('2026-11-10', { pausedDays: 7 }), '2026-11-20'), '2026-12-17');
    // While still paused since 12 November, on 20 November the deadline has moved 8 days.
    assert.equal(dueDate(running('2026-11-10', { pausedSince: '2026-11-12' }), '2026-11-20'), '2026-12-18');
    // A pause that ends on the day it began costs nothing.
    assert.equal(dueDate(running('2026-11-10', { pausedSince: '2026-11-12' }), '2026-11-12'), '2026-12-10');
  });

  test('property: a deadline is always a working day, no earlier than the calendar month', () => {
    checkProperty(
      property(
        anyDate({ min: new Date('2024-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        integer({ min: 0, max: 2 }),
        integer({ min: 0, max: 60 }),
        (date, extensionMonths, pausedDays) => {
          const receivedOn = date.toISOString().slice(0, 10);
          const due = dueDate(running(receivedOn, { extensionMonths, pausedDays }), receivedOn);
          assert.ok(isWorkingDay(due), due);
          assert.ok(due >= addCalendarMonths(receivedOn, 1 + extensionMonths), `${receivedOn} → ${due}`);
        },
      ),
    );
  });
});

describe('working days', () => {
  test('weekends and England and Wales bank holidays are not working days', () => {
    assert.equal(isWorkingDay('2026-12-25'), false);
    assert.equal(isWorkingDay('2026-12-28'), false); // substitute Boxing Day
    assert.equal(isWorkingDay('2026-12-29'), true);
    assert.equal(isWorkingDay('2026-12-05'), false); // Saturday
    assert.equal(onOrNextWorkingDay('2026-12-24'), '2026-12-24');
    assert.equal(addWorkingDays('2026-12-24', 1), '2026-12-29');
    assert.equal(addWorkingDays('2026-12-18', 5), '2026-12-29');
  });

  test('urgency: overdue, due within a week, on track, paused, closed', () => {
    assert.equal(urgencyOf('2026-12-01', '2026-12-04', { closed: false, paused: false }), 'overdue');
    assert.equal(urgencyOf('2026-12-10', '2026-12-04', { closed: false, paused: false }), 'due_soon');
    assert.equal(urgencyOf('2026-12-30', '2026-12-04', { closed: false, paused: false }), 'on_track');
    assert.equal(urgencyOf('2026-12-01', '2026-12-04', { closed: false, paused: true }), 'paused');
    assert.equal(urgencyOf('2026-12-01', '2026-12-04', { closed: true, paused: false }), 'closed');
  });
});
