// The data subject requests register as the web app sees it: types from the server's own schemas, the
// calls, and the plain words staff read (kinds, statuses, deadlines). Names never go into addresses: the
// pupil search is a POST body, requests and pupils are addressed by their pseudonymous ids.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type {
  AssigneesResponse,
  CertificateResponse,
  DeadlineResponse,
  ErasureImpactResponse,
  LimitsResponse,
  ListResponse,
  RequestDetails,
  RequestSummary,
} from '../../../../src/modules/privacy/requests.schema.ts';
import { api, ApiError } from '../../api/client.ts';
import type { FormProblem } from '../../components/form.tsx';

export type RequestList = Static<typeof ListResponse>;
export type RequestRow = Static<typeof RequestSummary>;
export type Details = Static<typeof RequestDetails>;
export type Assignees = Static<typeof AssigneesResponse>;
export type ErasureImpact = Static<typeof ErasureImpactResponse>;
export type Certificate = Static<typeof CertificateResponse>;
export type Limits = Static<typeof LimitsResponse>;
export type Limit = Limits['limits'][number];
export type Deadline = Static<typeof DeadlineResponse>;

/** The value if it is one of the record's keys, else the fallback (form values are plain strings). */
export function choice<K extends string>(names: Record<K, string>, value: string, fallback: K): K {
  const isKey = (key: string): key is K => Object.hasOwn(names, key);
  return isKey(value) ? value : fallback;
}

/** A select's options from a record of names. */
export function optionsOf<K extends string>(names: Record<K, string>) {
  return Object.entries<string>(names).map(([value, label]) => ({ value, label }));
}

export const privacyPath = (schoolId: string) => `/api/v1/schools/${schoolId}/privacy`;
export const requestPath = (schoolId: string, requestId: string) =>
  `${privacyPath(schoolId)}/requests/${requestId}`;

export const requestKey = (schoolId: string, requestId: string) => ['privacy-request', schoolId, requestId];
export const listKey = (schoolId: string) => ['privacy-requests', schoolId];

export const KIND_NAMES: Record<Details['kind'], string> = {
  access: 'Access to their data',
  rectification: 'Correct their record',
  erasure: 'Erase their data',
  restriction: 'Restrict processing',
  objection: 'Object to processing',
  portability: 'Data portability (a copy to take elsewhere)',
  withdraw_consent: 'Withdraw consent',
};

export const STATUS_NAMES: Record<Details['status'], string> = {
  open: 'Open',
  paused: 'Clock stopped',
  awaiting_approval: 'Waiting for the DPO’s decision',
  approved: 'Erasure approved, not yet carried out',
  completed: 'Completed',
  refused: 'Refused',
  withdrawn: 'Withdrawn',
};

export const SUBJECT_TYPE_NAMES: Record<Details['subjectType'], string> = {
  pupil: 'A pupil',
  contact: 'A pupil’s parent or contact',
  staff: 'A member of staff',
  marketing_contact: 'A marketing contact',
};

export const RELATIONSHIP_NAMES: Record<Details['requester']['relationship'], string> = {
  self: 'The person themselves',
  parent: 'Parent',
  carer: 'Carer',
  legal_representative: 'Legal representative (e.g. a solicitor)',
  other: 'Someone else acting for them',
};

export const IDENTITY_NAMES: Record<Details['identityStatus'], string> = {
  not_checked: 'Not checked yet',
  verified: 'Checked and confirmed',
  not_needed: 'Not needed (the school knows the requester)',
  failed: 'Could not be confirmed',
};

export const PAUSE_NAMES = {
  identity: 'waiting for proof of identity',
  clarification: 'waiting for the requester to clarify what they want',
} as const;

const EVENT_NAMES: Record<string, string> = {
  created: 'Request recorded',
  pause: 'Clock stopped',
  resume: 'Clock restarted',
  extend: 'Deadline extended',
  identity: 'Identity check recorded',
  assign: 'Assigned',
  link_subject: 'Pupil linked',
  export: 'Data downloaded for the requester',
  rectify: 'Record corrected',
  apply_limit: 'Limit on processing recorded',
  submit_erasure: 'Erasure sent to the DPO for a decision',
  approve_erasure: 'Erasure approved by the DPO',
  reject_erasure: 'Erasure refused by the DPO',
  execute_erasure: 'Erasure carried out',
  complete: 'Closed as answered',
  refuse: 'Request refused',
  withdraw: 'Withdrawn by the requester',
  limit_lifted: 'Limit on processing lifted',
};

export function eventName(kind: string): string {
  return EVENT_NAMES[kind] ?? kind.replaceAll('_', ' ');
}

/** What each table the erasure touches holds, in words. */
const TABLE_NAMES: Record<string, string> = {
  pupils: 'The pupil’s record (name, date of birth, characteristics)',
  prior_attainment: 'Key stage 2 results',
  pupil_changes: 'History of changes to the record',
  pupil_group_members: 'Group memberships',
  results: 'Assessment results',
  class_members: 'Class memberships',
  processing_limits: 'Limits on processing',
  blind_indexes: 'Search entries (for finding the pupil by name or UPN)',
  subject_keys: 'The pupil’s encryption key',
};

export function tableName(table: string): string {
  return TABLE_NAMES[table] ?? table.replaceAll('_', ' ');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A calendar date (yyyy-mm-dd) as "Tue 29 Dec 2026", whatever the viewer's time zone. */
export function longDate(day: string | null | undefined): string {
  if (day === null || day === undefined) {
    return '—';
  }
  const [year, month, date] = day.slice(0, 10).split('-').map(Number);
  if (year === undefined || month === undefined || date === undefined) {
    return day;
  }
  const weekday = new Date(Date.UTC(year, month - 1, date)).getUTCDay();
  return `${DAYS[weekday] ?? ''} ${date} ${MONTHS[month - 1] ?? ''} ${year}`;
}

/** A calendar date as "4 Dec 2026". */
export function shortDate(day: string | null | undefined): string {
  return longDate(day).replace(/^\w{3} /, '');
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** How long is left, in words (never colour alone). */
export function timeLeft(request: Pick<RequestRow, 'daysLeft' | 'status' | 'urgency'>): string {
  if (request.urgency === 'closed') {
    return 'Closed';
  }
  if (request.status === 'paused') {
    return 'Clock stopped';
  }
  if (request.daysLeft < 0) {
    return `Overdue by ${days(-request.daysLeft)}`;
  }
  if (request.daysLeft === 0) {
    return 'Due today';
  }
  return `Due in ${days(request.daysLeft)}`;
}

/** "Due in 12 days (Tue 29 Dec 2026)". */
export function dueInWords(request: Pick<RequestRow, 'daysLeft' | 'status' | 'urgency' | 'dueOn'>): string {
  const left = timeLeft(request);
  if (request.urgency === 'closed') {
    return `Was due ${longDate(request.dueOn)}`;
  }
  if (request.status === 'paused') {
    return `Clock stopped (due ${longDate(request.dueOn)} when it stopped)`;
  }
  return `${left} (${longDate(request.dueOn)})`;
}

/** Whether a form value is a real calendar date written yyyy-mm-dd (so not 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return false;
  }
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** The deadline a request gets, in words: when it is due, how far it may be extended, by when to decide. */
export function deadlineInWords(deadline: Deadline): string {
  return (
    `This request must be answered by ${longDate(deadline.dueOn)}. ` +
    `If it is complex you may extend it to ${longDate(deadline.latestExtendedDueOn)}, ` +
    `but you must decide and tell the requester by ${longDate(deadline.extendBy)}.`
  );
}

/** Today in England, as yyyy-mm-dd (the day a request is received, by default). */
export function todayInEngland(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
}

/**
 * The server's field errors mapped onto a form's inputs by their full path (`body.requester.name` →
 * `requesterName`); its message at the top when it names none of them.
 */
export function problemsByPath(error: unknown, fields: Record<string, { id: string; label: string }>) {
  if (!(error instanceof ApiError)) {
    return [{ message: error instanceof Error ? error.message : 'That did not work. Please try again.' }];
  }
  const found: FormProblem[] = error.fields.flatMap((problem) => {
    const path = problem.field.replace(/^body\./, '');
    const match = fields[path] ?? fields[path.split(/[.[]/)[0] ?? path];
    return match === undefined ? [] : [{ field: match.id, message: `${match.label} ${problem.message}` }];
  });
  return found.length > 0 ? found : [{ message: error.message }];
}

/** One step on a request (POST …/requests/:id/<path>); the answer is the request as it now stands. */
export function useStep<B>(schoolId: string, requestId: string, path: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: B) => api.post<Details>(`${requestPath(schoolId, requestId)}/${path}`, body),
    onSuccess: async (details) => {
      queryClient.setQueryData(requestKey(schoolId, requestId), details);
      await queryClient.invalidateQueries({ queryKey: listKey(schoolId) });
    },
  });
}

function filenameFrom(disposition: string | null, fallback: string): string {
  const match = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}

/** Downloads the access bundle as a file (the answer is a zip, not JSON); returns its file name. */
export async function downloadBundle(schoolId: string, requestId: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${requestPath(schoolId, requestId)}/export`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/zip, application/json' },
    });
  } catch {
    throw new ApiError(0, 'offline', 'Haven cannot be reached. Check your connection and try again.');
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    const message =
      typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string'
        ? body.message
        : 'The data could not be produced. Please try again.';
    throw new ApiError(response.status, 'export_failed', message);
  }
  const name = filenameFrom(response.headers.get('content-disposition'), 'request-data.zip');
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
