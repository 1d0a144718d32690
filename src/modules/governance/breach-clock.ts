import { badRequest } from '../../platform/http/errors.ts';

// The clocks of a personal data breach. The controller tells the ICO within 72 hours of becoming aware
// (UK GDPR Art. 33(1), https://ico.org.uk/for-organisations/report-a-breach/): 72 real hours, an
// instant, so across a change of the clocks the local time of the deadline differs from the time of
// awareness. The processor tells the controller "without undue delay" (Art. 33(2)); Haven's firm
// internal target for that is 24 hours from awareness, tracked for each affected school.

const HOUR = 3_600_000;
export const ICO_HOURS = 72;
export const SCHOOL_NOTICE_HOURS = 24;
/** When the operators are warned that the ICO deadline is near without a decision recorded. */
export const ICO_WARNING_HOURS = 12;

/** The latest instant at which the ICO may be told. */
export function icoDeadline(awareAt: Date): Date {
  return new Date(awareAt.getTime() + ICO_HOURS * HOUR);
}

/** Haven's own target for telling each affected school. */
export function schoolNoticeTarget(awareAt: Date): Date {
  return new Date(awareAt.getTime() + SCHOOL_NOTICE_HOURS * HOUR);
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

/** An instant as UK time with its zone, e.g. "Mon 30 Mar 2026, 10:00 BST". */
export function formatLondon(instant: Date): string {
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    LONDON.formatToParts(instant).find((entry) => entry.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

function span(ms: number): string {
  if (ms < HOUR) {
    return plural(Math.floor(ms / 60_000), 'minute');
  }
  const hours = Math.floor(ms / HOUR);
  return hours < 96 ? plural(hours, 'hour') : plural(Math.floor(hours / 24), 'day');
}

/** The time to a deadline in words: "31 hours left", "40 minutes left", "overdue by 3 hours". */
export function countdownWords(deadline: Date, now: Date): string {
  const left = deadline.getTime() - now.getTime();
  return left >= 0 ? `${span(left)} left` : `overdue by ${span(-left)}`;
}

const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const WALL = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function londonWall(instant: Date): string {
  const parts = Object.fromEntries(WALL.formatToParts(instant).map((entry) => [entry.type, entry.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/**
 * Reads an instant given either with its offset (RFC 3339, e.g. 2026-03-28T01:30:00Z) or as UK clock
 * time without one (2026-03-28T01:30, as a form's date and time fields give it). A UK time that never
 * happened (the hour skipped when the clocks go forward) is refused; one that happened twice (the hour
 * repeated when they go back) is the first, in BST, so a deadline counted from it is never later.
 */
export function parseInstant(text: string, field: string): Date {
  if (OFFSET_TIME.test(text)) {
    const instant = new Date(text);
    if (!Number.isNaN(instant.getTime())) {
      return instant;
    }
  }
  const wall = WALL_TIME.exec(text);
  if (wall !== null) {
    const [, year, month, day, hour, minute, second = '00'] = wall;
    const asUtc = Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second),
    );
    const wanted = `${year}-${month}-${day}T${hour}:${minute}:${second}`;
    if (new Date(asUtc).toISOString().slice(0, 19) !== wanted) {
      throw badRequest('That date or time does not exist.', [
        { field, message: 'is not a real date and time' },
      ]);
    }
    for (const offsetHours of [1, 0]) {
      const instant = new Date(asUtc - offsetHours * HOUR);
      if (londonWall(instant) === wanted) {
        return instant;
      }
    }
    throw badRequest('That time does not exist in the UK: the clocks went forward over it.', [
      { field, message: 'is a UK time skipped when the clocks went forward' },
    ]);
  }
  throw badRequest('Give a date and time, e.g. 2026-03-28T09:30 (UK time) or with an offset.', [
    { field, message: 'must be a date and time such as 2026-03-28T09:30' },
  ]);
}
