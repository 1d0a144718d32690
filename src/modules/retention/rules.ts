import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Check } from 'typebox/value';
import {
  addCalendarMonths,
  addDays,
  addWorkingDays,
  type CalendarDate,
} from '../../platform/calendar/working-days.ts';
import type { RetentionRuleId } from './retention.tables.ts';

// The retention rules, loaded from rules.json (policies as data), and the date arithmetic that applies
// them. Pure functions: the sweeps, the dry run and the pages all ask these when something is due.

const Rule = Type.Object({
  id: Type.Union([
    Type.Literal('pupil_age'),
    Type.Literal('leaver_years'),
    Type.Literal('school_inactivity'),
    Type.Literal('school_offboarding'),
  ]),
  category: Type.String(),
  trigger: Type.String(),
  unit: Type.Union([
    Type.Literal('years_of_age'),
    Type.Literal('years'),
    Type.Literal('months'),
    Type.Literal('working_days'),
  ]),
  /** Haven's promise; null for a rule that is off unless a school turns it on. */
  default: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  minimum: Type.Integer({ minimum: 1 }),
  action: Type.String(),
  /** A mandatory rule can be tightened but never turned off. */
  mandatory: Type.Boolean(),
});
const RuleFile = Type.Object({ rules: Type.Array(Rule) });

export type RetentionRule = Static<typeof Rule>;
export type PeriodUnit = RetentionRule['unit'];

/** Reads the shipped rules, refusing to start on a file that does not match its schema. */
function load(): readonly RetentionRule[] {
  const data: unknown = JSON.parse(readFileSync(path.join(import.meta.dirname, 'rules.json'), 'utf8'));
  if (!Check(RuleFile, data)) {
    throw new Error('src/modules/retention/rules.json does not match its schema');
  }
  return data.rules;
}

export const RULES = load();

export function ruleById(id: RetentionRuleId): RetentionRule {
  const rule = RULES.find((candidate) => candidate.id === id);
  if (rule === undefined) {
    throw new RangeError(`no retention rule ${id}`);
  }
  return rule;
}

/** Why a school's period for a rule is refused, or undefined when it is allowed. */
export function periodProblem(rule: RetentionRule, period: number): string | undefined {
  if (!Number.isInteger(period) || period < rule.minimum) {
    return `must be a whole number of at least ${rule.minimum}`;
  }
  if (rule.default !== null && period > rule.default) {
    return `can be shortened but never lengthened: Haven's promise is ${describePeriod(rule.unit, rule.default)}`;
  }
  return undefined;
}

/** The period in force: the school's own when it set one, else the default (null: the rule is off). */
export function periodInForce(rule: RetentionRule, schoolPeriod: number | undefined): number | null {
  return schoolPeriod ?? rule.default;
}

const PERIOD_WORDS: Record<PeriodUnit, (n: number, s: string) => string> = {
  years_of_age: (n) => `at age ${n}`,
  years: (n, s) => `${n} year${s} after leaving`,
  months: (n, s) => `${n} month${s} without activity`,
  working_days: (n, s) => `within ${n} working day${s} of leaving`,
};

export function describePeriod(unit: PeriodUnit, period: number): string {
  return PERIOD_WORDS[unit](period, period === 1 ? '' : 's');
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The day a person born on `dob` reaches `age`. Someone born on 29 February reaches it on 1 March in a
 * year without one: in England and Wales a person attains an age at the start of the anniversary of their
 * birth (Family Law Reform Act 1969, s. 9), and a common year's anniversary of 29 February is taken as
 * 1 March, so the data is never deleted before the birthday the promise names.
 */
export function birthdayAtAge(dob: CalendarDate, age: number): CalendarDate {
  const year = Number(dob.slice(0, 4)) + age;
  const monthDay = dob.slice(5);
  if (monthDay === '02-29' && !isLeapYear(year)) {
    return `${year}-03-01`;
  }
  return `${year}-${monthDay}`;
}

/**
 * With only the month and year of birth known, the first day of the month the age is reached: the
 * promise is never overrun, at the cost of up to a month early.
 */
export function birthMonthAtAge(birthYear: number, birthMonth: number, age: number): CalendarDate {
  return `${birthYear + age}-${String(birthMonth).padStart(2, '0')}-01`;
}

/**
 * The latest birth (year, month) whose holders may have reached `age` by `today`: every earlier month
 * certainly has, this month needs the exact date. Lets a sweep pick candidates without decrypting.
 */
export function birthMonthReachingAge(today: CalendarDate, age: number): { year: number; month: number } {
  return { year: Number(today.slice(0, 4)) - age, month: Number(today.slice(5, 7)) };
}

/** When a leaver's data goes under the leaver rule. */
export function leaverDeletionDay(leaveDate: CalendarDate, years: number): CalendarDate {
  return addCalendarMonths(leaveDate, years * 12);
}

/** When an inactive school's data goes: the period after its last activity. */
export function inactivityDeletionDay(lastActivity: CalendarDate, months: number): CalendarDate {
  return addCalendarMonths(lastActivity, months);
}

/** The inactivity warnings: a month before the deletion day, and a week before. */
export function inactivityWarnings(deletionDay: CalendarDate): { stage: string; on: CalendarDate }[] {
  return [
    { stage: 'month_before', on: addCalendarMonths(deletionDay, -1) },
    { stage: 'week_before', on: addDays(deletionDay, -7) },
  ];
}

/** The day a leaving school's data must be gone by: the given working days after it asked. */
export function offboardingDeletionDay(requestedOn: CalendarDate, workingDays: number): CalendarDate {
  return addWorkingDays(requestedOn, workingDays);
}
