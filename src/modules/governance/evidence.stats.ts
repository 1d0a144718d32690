import { todayInEngland, type CalendarDate } from '../../platform/calendar/working-days.ts';
import { REQUEST_KINDS, type RequestKind, type RequestStatus } from '../privacy/requests.tables.ts';

// Data subject request timeliness, as pure functions over kinds, statuses and dates: a request closed on
// or before its due day (England's calendar) was on time; one still open after it is overdue.

const CLOSED: readonly RequestStatus[] = ['completed', 'refused', 'withdrawn'];

export interface RequestFacts {
  kind: RequestKind;
  status: RequestStatus;
  due_on: CalendarDate;
  closed_at: Date | null;
}

export interface RequestTally {
  total: number;
  open: number;
  overdue: number;
  closedOnTime: number;
  closedLate: number;
}

export interface RequestStatistics extends RequestTally {
  byKind: Array<RequestTally & { kind: RequestKind }>;
}

function empty(): RequestTally {
  return { total: 0, open: 0, overdue: 0, closedOnTime: 0, closedLate: 0 };
}

function count(tally: RequestTally, request: RequestFacts, today: CalendarDate): void {
  tally.total += 1;
  if (CLOSED.includes(request.status) && request.closed_at !== null) {
    if (todayInEngland(request.closed_at) <= request.due_on) {
      tally.closedOnTime += 1;
    } else {
      tally.closedLate += 1;
    }
    return;
  }
  tally.open += 1;
  if (request.due_on < today) {
    tally.overdue += 1;
  }
}

export function requestStatistics(requests: readonly RequestFacts[], now = new Date()): RequestStatistics {
  const today = todayInEngland(now);
  const overall = empty();
  const byKind = new Map<RequestKind, RequestTally>(REQUEST_KINDS.map((kind) => [kind, empty()]));
  for (const request of requests) {
    count(overall, request, today);
    const tally = byKind.get(request.kind);
    if (tally !== undefined) {
      count(tally, request, today);
    }
  }
  return {
    ...overall,
    byKind: [...byKind.entries()]
      .filter(([, tally]) => tally.total > 0)
      .map(([kind, tally]) => ({ kind, ...tally })),
  };
}
