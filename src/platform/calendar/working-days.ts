import Holidays from 'date-holidays';

// Calendar dates are 'yyyy-mm-dd' strings throughout Haven: a legal deadline is a day in England, not an
// instant, so no time zone may move it. Arithmetic is done on UTC dates, which never shift.

/** A calendar date, 'yyyy-mm-dd'. */
export type CalendarDate = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// England and Wales bank holidays (substitute days included), from date-holidays' GB/ENG public days.
const holidays = new Holidays('GB', 'ENG');
const bankHolidaysByYear = new Map<number, ReadonlySet<CalendarDate>>();

function bankHolidays(year: number): ReadonlySet<CalendarDate> {
  let days = bankHolidaysByYear.get(year);
  if (days === undefined) {
    days = new Set(
      holidays
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    bankHolidaysByYear.set(year, days);
  }
  return days;
}

/** True for a real calendar date written 'yyyy-mm-dd'. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) {
    return false;
  }
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return toCalendarDate(date) === text;
}

function parts(date: CalendarDate): [number, number, number] {
  const match = DATE.exec(date);
  if (match === null || !isCalendarDate(date)) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function toCalendarDate(date: Date): CalendarDate {
  return date.toISOString().slice(0, 10);
}

/** Today in England (the legal calendar), whatever the server's time zone. */
export function todayInEngland(now: Date = new Date()): CalendarDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const [year, month, day] = parts(date);
  return toCalendarDate(new Date(Date.UTC(year, month - 1, day + days)));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

/**
 * The same date `months` calendar months later; when that month is shorter (31 January + 1 month), the
 * last day of that month. The ICO's rule for the one-month time limit.
 * https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/individual-rights/right-of-access/
 */
export function addCalendarMonths(date: CalendarDate, months: number): CalendarDate {
  const [year, month, day] = parts(date);
  const lastDay = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
  return toCalendarDate(new Date(Date.UTC(year, month - 1 + months, Math.min(day, lastDay))));
}

export function isBankHoliday(date: CalendarDate): boolean {
  return bankHolidays(parts(date)[0]).has(date);
}

/** Monday to Friday and not an England and Wales bank holiday. */
export function isWorkingDay(date: CalendarDate): boolean {
  const [year, month, day] = parts(date);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isBankHoliday(date);
}

/** The date itself when it is a working day, otherwise the next working day. */
export function onOrNextWorkingDay(date: CalendarDate): CalendarDate {
  let day = date;
  while (!isWorkingDay(day)) {
    day = addDays(day, 1);
  }
  return day;
}

/** The working day `count` working days after `date` (count ≥ 0; 0 gives `date` rolled forward). */
export function addWorkingDays(date: CalendarDate, count: number): CalendarDate {
  let day = onOrNextWorkingDay(date);
  for (let left = count; left > 0; left -= 1) {
    day = onOrNextWorkingDay(addDays(day, 1));
  }
  return day;
}

/** Working days from `from` (exclusive) to `to` (inclusive); 0 when `to` is not later. */
export function workingDaysBetween(from: CalendarDate, to: CalendarDate): number {
  let count = 0;
  for (let day = addDays(from, 1); daysBetween(day, to) >= 0; day = addDays(day, 1)) {
    if (isWorkingDay(day)) {
      count += 1;
    }
  }
  return count;
}
