import { AppError } from '../../platform/http/errors.ts';
import type { CalendarDate } from '../../platform/calendar/working-days.ts';
import { firstDueDate, MAX_EXTENSION_MONTHS } from './deadlines.ts';
import type { RequestRow } from './requests.repository.ts';

// What may be done to a request, and when: pure functions of the request, the person and the day, so
// the web app's buttons and the server's refusals come from the same rules (tested as a table).

export const REQUEST_ACTIONS = [
  'pause',
  'resume',
  'extend',
  'identity',
  'assign',
  'link_subject',
  'export',
  'rectify',
  'apply_limit',
  'submit_erasure',
  'approve_erasure',
  'reject_erasure',
  'execute_erasure',
  'complete',
  'refuse',
  'withdraw',
] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

export interface ActionContext {
  /** The person holds privacy.approve (the DPO). */
  canApprove: boolean;
  today: CalendarDate;
}

type RequestFacts = Pick<
  RequestRow,
  'status' | 'kind' | 'subject_type' | 'subject_id' | 'identity_status' | 'extension_months' | 'received_on'
>;

const CLOSED = new Set(['completed', 'refused', 'withdrawn']);

export function isClosed(request: Pick<RequestRow, 'status'>): boolean {
  return CLOSED.has(request.status);
}

/** Disclosing or destroying data needs a known subject and a settled identity check. */
function readyToAct(request: RequestFacts): boolean {
  return (
    request.subject_id !== null &&
    (request.identity_status === 'verified' || request.identity_status === 'not_needed')
  );
}

const KIND_ACTIONS: Record<RequestRow['kind'], RequestAction[]> = {
  access: ['export', 'complete'],
  portability: ['export', 'complete'],
  rectification: ['rectify', 'complete'],
  erasure: ['submit_erasure'],
  restriction: ['apply_limit', 'complete'],
  objection: ['apply_limit', 'complete'],
  withdraw_consent: ['apply_limit', 'complete'],
};

/** Work on the subject's data that the request's kind calls for, while the clock runs. */
function kindActions(request: RequestFacts): RequestAction[] {
  if (request.subject_type === 'pupil') {
    if (!readyToAct(request)) {
      // An erasure of a pupil closes only through the DPO's decision.
      return request.kind === 'erasure' ? [] : ['complete'];
    }
    return KIND_ACTIONS[request.kind];
  }
  // A member of staff's data is exported by Haven; other subjects' requests are answered by hand.
  const exportable =
    request.subject_type === 'staff' && (request.kind === 'access' || request.kind === 'portability');
  return exportable && readyToAct(request) ? ['export', 'complete'] : ['complete'];
}

/** Extensions are decided, and the requester told, within the first month (ICO guidance). */
function mayExtend(request: RequestFacts, today: CalendarDate): boolean {
  return request.extension_months < MAX_EXTENSION_MONTHS && today <= firstDueDate(request.received_on);
}

/** The actions open to this person on this request today. */
export function availableActions(request: RequestFacts, context: ActionContext): RequestAction[] {
  const actions: RequestAction[] = [];
  const add = (...more: RequestAction[]) => actions.push(...more);
  switch (request.status) {
    case 'completed':
    case 'refused':
    case 'withdrawn':
      return [];
    case 'open':
      add('pause', 'identity', 'assign', ...kindActions(request));
      break;
    case 'paused':
      add('resume', 'identity', 'assign');
      break;
    case 'awaiting_approval':
      add('assign');
      if (context.canApprove) {
        add('approve_erasure', 'reject_erasure');
      }
      break;
    case 'approved':
      add('assign', 'execute_erasure');
      break;
  }
  const linkable = request.subject_type === 'pupil' || request.subject_type === 'staff';
  if ((request.status === 'open' || request.status === 'paused') && linkable) {
    add('link_subject');
  }
  if ((request.status === 'open' || request.status === 'paused') && mayExtend(request, context.today)) {
    add('extend');
  }
  if (request.status === 'open' || request.status === 'paused') {
    add('refuse');
  }
  add('withdraw');
  return actions;
}

const WHY_NOT: Partial<Record<RequestAction, string>> = {
  export: 'Link the pupil or member of staff and settle the identity check before producing their data.',
  rectify: 'Link the pupil and settle the identity check before changing their record.',
  apply_limit: 'Link the pupil and settle the identity check before recording the restriction.',
  submit_erasure: 'Link the pupil and settle the identity check before asking for approval.',
  approve_erasure: 'Only the data protection officer can decide an erasure, and only once it is submitted.',
  reject_erasure: 'Only the data protection officer can decide an erasure, and only once it is submitted.',
  execute_erasure: 'An erasure is carried out only after the data protection officer approves it.',
  extend: 'An extension must be decided within the first month, and at most two further months can be added.',
  resume: 'The clock is not stopped.',
  pause: 'The clock can be stopped only on an open request.',
};

/** Refuses an action the rules do not allow now, saying why (409: the request is in the wrong state). */
export function assertAction(request: RequestFacts, action: RequestAction, context: ActionContext): void {
  if (availableActions(request, context).includes(action)) {
    return;
  }
  if (isClosed(request)) {
    throw new AppError(409, 'request_closed', 'This request is closed; nothing more can be done to it.');
  }
  throw new AppError(
    409,
    'action_not_available',
    WHY_NOT[action] ?? 'That cannot be done to this request in its present state.',
  );
}
