import {
  addCalendarMonths,
  addDays,
  daysBetween,
  onOrNextWorkingDay,
  type CalendarDate,
} from '../../platform/calendar/working-days.ts';

// The legal clock of a data subject request (UK GDPR Art. 12(3); ICO guidance on time limits):
// one calendar month from the day of receipt, to the same date next month, or the last day of that
// month when the date does not exist; a deadline on a weekend or bank holiday moves to the next working
// day. Complex requests may be extended by up to two further months. The clock stops while the school
// waits for proof of identity or clarification, and the days it stood still are added back.
// https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/individual-rights/individual-rights/right-of-access/

export const MAX_EXTENSION_MONTHS = 2;

export interface ClockFacts {
  receivedOn: CalendarDate;
  /** Further months granted for a complex request (0, 1 or 2). */
  extensionMonths: number;
  /** Days the clock stood still in earlier pauses. */
  pausedDays: number;
  /** The day the current pause began, if the clock is stopped now. */
  pausedSince: CalendarDate | null;
}

/** Days of the current pause up to `today` (0 when the clock is running). */
export function currentPauseDays(facts: ClockFacts, today: CalendarDate): number {
  return facts.pausedSince === null ? 0 : Math.max(0, daysBetween(facts.pausedSince, today));
}

/**
 * The day the answer is due. While the clock is stopped, the deadline keeps moving one day per day of
 * the pause (so it is computed as of `today`).
 */
export function dueDate(facts: ClockFacts, today: CalendarDate): CalendarDate {
  const months = 1 + Math.min(Math.max(facts.extensionMonths, 0), MAX_EXTENSION_MONTHS);
  const stood = facts.pausedDays + currentPauseDays(facts, today);
  return onOrNextWorkingDay(addDays(addCalendarMonths(facts.receivedOn, months), stood));
}

/** The deadline the law sets with no extension and no pause: what the requester is first told. */
export function firstDueDate(receivedOn: CalendarDate): CalendarDate {
  return dueDate({ receivedOn, extensionMonths: 0, pausedDays: 0, pausedSince: null }, receivedOn);
}

export type Urgency = 'overdue' | 'due_soon' | 'on_track' | 'paused' | 'closed';

/** Days left before the deadline (negative when overdue): what the register and reminders go by. */
export function daysLeft(due: CalendarDate, today: CalendarDate): number {
  return daysBetween(today, due);
}

/** How a request stands against its clock: due soon means within a week. */
export function urgencyOf(
  due: CalendarDate,
  today: CalendarDate,
  state: { closed: boolean; paused: boolean },
): Urgency {
  if (state.closed) {
    return 'closed';
  }
  if (state.paused) {
    return 'paused';
  }
  const left = daysLeft(due, today);
  if (left < 0) {
    return 'overdue';
  }
  return left <= 7 ? 'due_soon' : 'on_track';
}

/** What the register tells staff about a request received on a day, before they record it. */
export function deadlineFor(receivedOn: CalendarDate): {
  receivedOn: CalendarDate;
  dueOn: CalendarDate;
  latestExtendedDueOn: CalendarDate;
  extendBy: CalendarDate;
} {
  const dueOn = firstDueDate(receivedOn);
  return {
    receivedOn,
    dueOn,
    latestExtendedDueOn: dueDate(
      { receivedOn, extensionMonths: MAX_EXTENSION_MONTHS, pausedDays: 0, pausedSince: null },
      receivedOn,
    ),
    extendBy: dueOn,
  };
}

/**
 * The reminder due today, if any: a week before the deadline, the day before, on the day, and every
 * day once overdue. Stages name the deadline they are for, so a moved deadline (extension, a stopped
 * clock) gets its own reminders.
 */
export function reminderStage(dueOn: CalendarDate, on: CalendarDate): string | undefined {
  const left = daysBetween(on, dueOn);
  if (left < 0) {
    return `overdue:${on}`;
  }
  if (left === 0) {
    return `due_today:${dueOn}`;
  }
  if (left === 1) {
    return `due_tomorrow:${dueOn}`;
  }
  return left <= 7 ? `due_in_a_week:${dueOn}` : undefined;
}
