import {
  addWorkingDays,
  addDays,
  isWorkingDay,
  type CalendarDate,
} from '../../platform/calendar/working-days.ts';

// When PEPs are due. Statutory guidance ("Promoting the education of looked-after and previously
// looked-after children", DfE 2018): the PEP is started when the child enters care — Haven asks for the
// initial PEP within 10 working days of that date — and reviewed every term. Terms are named by the
// calendar year the academic year starts in ('2026-autumn' is autumn 2026, '2026-spring' is spring
// 2027) and a termly review is due by a fixed day near the end of each term, rolled back to a working day.

export const TERM_SEASONS = ['autumn', 'spring', 'summer'] as const;
export type TermSeason = (typeof TERM_SEASONS)[number];

/** Working days from entering care to the initial PEP. */
export const INITIAL_PEP_WORKING_DAYS = 10;
/** How many working days before a due date the "due soon" reminder goes. */
export const DUE_SOON_WORKING_DAYS = 5;

const TERM = /^(\d{4})-(autumn|spring|summer)$/;

// The last day of each term's review window (month, day) and the calendar year offset from the academic
// year's start. Autumn: 15 December; spring: 31 March; summer: 15 July.
const REVIEW_BY: Record<TermSeason, { month: number; day: number; yearOffset: number }> = {
  autumn: { month: 12, day: 15, yearOffset: 0 },
  spring: { month: 3, day: 31, yearOffset: 1 },
  summer: { month: 7, day: 15, yearOffset: 1 },
};

export function isTerm(text: string): boolean {
  return TERM.test(text);
}

/** The term a date falls in: September–December autumn, January–March spring, April–August summer. */
export function termOf(date: CalendarDate): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (month >= 9) {
    return `${year}-autumn`;
  }
  return month <= 3 ? `${year - 1}-spring` : `${year - 1}-summer`;
}

/** The term after `term`. */
export function nextTerm(term: string): string {
  const { year, season } = termParts(term);
  if (season === 'autumn') {
    return `${year}-spring`;
  }
  return season === 'spring' ? `${year}-summer` : `${year + 1}-autumn`;
}

/** "Autumn 2026", "Spring 2027": how people name a term. */
export function termLabel(term: string): string {
  const { year, season } = termParts(term);
  const calendarYear = year + REVIEW_BY[season].yearOffset;
  return `${season[0]?.toUpperCase() ?? ''}${season.slice(1)} ${calendarYear}`;
}

/** The day a termly review is due: the term's review day, or the working day before it. */
export function reviewDueOn(term: string): CalendarDate {
  const { year, season } = termParts(term);
  const rule = REVIEW_BY[season];
  let day = `${year + rule.yearOffset}-${pad(rule.month)}-${pad(rule.day)}`;
  while (!isWorkingDay(day)) {
    day = addDays(day, -1);
  }
  return day;
}

/** The day the initial PEP is due: 10 working days after the child entered care. */
export function initialDueOn(enteredCareOn: CalendarDate): CalendarDate {
  return addWorkingDays(enteredCareOn, INITIAL_PEP_WORKING_DAYS);
}

/**
 * Which PEP a child in care needs in a term, and by when: the initial PEP in the term they entered care
 * (or, entering late in a term, whenever its 10 working days end), a review in every later term.
 */
export function expectedPep(
  enteredCareOn: CalendarDate,
  term: string,
): { kind: 'initial' | 'review'; dueOn: CalendarDate } | undefined {
  const entryTerm = termOf(enteredCareOn);
  if (termOrder(term) < termOrder(entryTerm)) {
    return undefined;
  }
  if (term === entryTerm) {
    return { kind: 'initial', dueOn: initialDueOn(enteredCareOn) };
  }
  return { kind: 'review', dueOn: reviewDueOn(term) };
}

/** A number that orders terms in time. */
export function termOrder(term: string): number {
  const { year, season } = termParts(term);
  return year * 3 + TERM_SEASONS.indexOf(season);
}

function termParts(term: string): { year: number; season: TermSeason } {
  const match = TERM.exec(term);
  if (match === null) {
    throw new RangeError(`not a term: ${term}`);
  }
  const season = TERM_SEASONS.find((candidate) => candidate === match[2]);
  if (season === undefined) {
    throw new RangeError(`not a term: ${term}`);
  }
  return { year: Number(match[1]), season };
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
