import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import { daysBetween, todayInEngland, type CalendarDate } from '../../platform/calendar/working-days.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { badRequest, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { can } from '../organisations/roles.policy.ts';
import { isStaffOf } from '../organisations/staff-data.service.ts';
import { schoolStaffHolding } from '../organisations/staff.service.ts';
import { pupilDisplayNames, pupilExists } from '../pupils/pupil-search.service.ts';
import { daysLeft, dueDate, firstDueDate, urgencyOf } from './deadlines.ts';
import { assertAction, availableActions, isClosed, type RequestAction } from './requests.policy.ts';
import * as requests from './requests.repository.ts';
import type {
  NewRequest,
  RequestDetailsView,
  RequestListView,
  RequestSummaryView,
} from './requests.schema.ts';
import type { RequestStatus, SubjectType } from './requests.tables.ts';

// The school's register of data subject requests: each with its legal clock (deadlines.ts), its status
// history and its audit trail. Who asked and what they wrote are encrypted under the request's own key.

/** Who is doing what, where: the frame of every change to a request. */
export interface RequestWork {
  services: Services;
  who: SignedIn;
  schoolId: string;
  requestId: string;
  /** The HTTP request id, for the audit trail. */
  httpRequestId: string;
}

const REQUESTER = { table: 'privacy_requests', column: 'requester' } as const;
const DESCRIPTION = { table: 'privacy_requests', column: 'description' } as const;
const NOTE = { table: 'privacy_request_events', column: 'note' } as const;

function today(): CalendarDate {
  return todayInEngland();
}

/** Records a new request; its deadline follows from the day it was received. */
export async function createRequest(
  services: Services,
  who: SignedIn,
  schoolId: string,
  input: NewRequest,
  httpRequestId: string,
  via: 'school' | 'platform' = 'school',
): Promise<{ id: string; reference: string }> {
  if (daysBetween(input.receivedOn, today()) < 0) {
    throw badRequest('A request cannot be received in the future.', [
      { field: 'body.receivedOn', message: 'is after today' },
    ]);
  }
  // The staff directory is its own tenant: asked before the school's transaction opens.
  const isStaff =
    input.subjectId !== undefined && input.subjectType === 'staff'
      ? await isStaffOf(services, schoolId, input.subjectId)
      : false;
  return services.db.withSchool(schoolId, async (trx) => {
    if (input.subjectId !== undefined) {
      await requireSubject(trx, schoolId, { type: input.subjectType, id: input.subjectId, isStaff });
    }
    const id = randomUUID();
    const vault = new SchoolVault(services.keyring, trx, schoolId);
    const reference = await requests.nextReference(trx, schoolId, Number(input.receivedOn.slice(0, 4)));
    const requester = JSON.stringify({ name: input.requester.name, contact: input.requester.contact });
    await requests.insertRequest(trx, {
      school_id: schoolId,
      id,
      reference,
      kind: input.kind,
      subject_type: input.subjectType,
      subject_id: input.subjectId ?? null,
      requester_relationship: input.requester.relationship,
      requester: await vault.encrypt(id, { ...REQUESTER, rowId: id }, requester),
      description:
        input.description === undefined || input.description === ''
          ? null
          : await vault.encrypt(id, { ...DESCRIPTION, rowId: id }, input.description),
      received_via: via,
      received_on: input.receivedOn,
      identity_status: input.identityStatus ?? 'not_checked',
      status: 'open',
      due_on: firstDueDate(input.receivedOn),
      assignee_id: input.assigneeId ?? null,
      created_by: via === 'school' ? who.userId : null,
    });
    await requests.insertEvent(trx, {
      school_id: schoolId,
      request_id: id,
      kind: 'created',
      status_to: 'open',
      actor_id: who.userId,
      details: { dueOn: firstDueDate(input.receivedOn), via },
    });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'privacy.request_created',
      target: `privacy_request:${id}`,
      subjectIds: input.subjectId === undefined ? [] : [input.subjectId],
      requestId: httpRequestId,
      details: { kind: input.kind, subjectType: input.subjectType, via },
    });
    return { id, reference };
  });
}

/** The subject a request names must be the school's: one of its pupils, or one of its staff. */
export async function requireSubject(
  trx: Transaction<DB>,
  schoolId: string,
  subject: { type: SubjectType; id: string; isStaff: boolean },
): Promise<void> {
  const known =
    subject.type === 'pupil'
      ? await pupilExists(trx, schoolId, subject.id)
      : subject.type === 'staff' && subject.isStaff;
  if (!known) {
    throw badRequest(
      subject.type === 'pupil'
        ? 'That pupil is not in this school.'
        : 'Only a pupil or a member of this school’s staff can be linked to a request.',
      [{ field: 'body.subjectId', message: 'is unknown' }],
    );
  }
}

function summaryOf(row: requests.RequestRow, on: CalendarDate): RequestSummaryView {
  const closed = isClosed(row);
  const facts = {
    receivedOn: row.received_on,
    extensionMonths: row.extension_months,
    pausedDays: row.paused_days,
    pausedSince: row.paused_since,
  };
  const due = closed ? row.due_on : dueDate(facts, on);
  return {
    id: row.id,
    reference: row.reference,
    kind: row.kind,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    status: row.status,
    receivedOn: row.received_on,
    receivedVia: row.received_via,
    dueOn: due,
    firstDueOn: firstDueDate(row.received_on),
    daysLeft: daysLeft(due, on),
    urgency: urgencyOf(due, on, { closed, paused: row.status === 'paused' }),
    identityStatus: row.identity_status,
    pauseReason: row.pause_reason,
    pausedSince: row.paused_since,
    extensionMonths: row.extension_months,
    assigneeId: row.assignee_id,
  };
}

/** The register: requests by due date, with the counts the overdue dashboard shows. */
export async function listRequests(
  services: Services,
  who: SignedIn | 'cli',
  schoolId: string,
  filter: requests.RequestFilter,
  httpRequestId: string,
): Promise<RequestListView> {
  return services.db.withSchool(schoolId, async (trx) => {
    const on = today();
    const rows = await requests.listRequests(trx, schoolId, filter);
    const open = await requests.listRequests(trx, schoolId, { status: 'open' });
    const openSummaries = open.map((row) => summaryOf(row, on));
    await recordAudit(trx, {
      orgId: schoolId,
      actor: who === 'cli' ? { type: 'cli', id: 'privacy requests' } : { type: 'user', id: who.userId },
      action: 'privacy.requests_listed',
      requestId: httpRequestId,
      details: { results: rows.length },
    });
    return {
      requests: rows.map((row) => summaryOf(row, on)).toSorted((a, b) => a.dueOn.localeCompare(b.dueOn)),
      counts: {
        open: openSummaries.length,
        overdue: openSummaries.filter((entry) => entry.urgency === 'overdue').length,
        dueSoon: openSummaries.filter((entry) => entry.urgency === 'due_soon').length,
        paused: openSummaries.filter((entry) => entry.urgency === 'paused').length,
      },
    };
  });
}

async function loadRequest(
  trx: Transaction<DB>,
  schoolId: string,
  requestId: string,
  forUpdate: boolean,
): Promise<requests.RequestRow> {
  const row = await requests.requestById(trx, schoolId, requestId, { forUpdate });
  if (row === undefined) {
    throw notFound('That request');
  }
  return row;
}

/** The requester as stored (JSON written by createRequest); anything else reads as unknown. */
function requesterOf(text: string): { name: string; contact: string } {
  const parsed: unknown = JSON.parse(text);
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    'name' in parsed &&
    'contact' in parsed &&
    typeof parsed.name === 'string' &&
    typeof parsed.contact === 'string'
  ) {
    return { name: parsed.name, contact: parsed.contact };
  }
  return { name: 'unknown', contact: 'unknown' };
}

function canApprove(who: SignedIn, schoolId: string): boolean {
  return can(who.actor, 'privacy.approve', { id: schoolId, kind: 'school' });
}

/** One request in full: requester, description and history decrypted (the read is audited). */
export async function readRequest(work: RequestWork): Promise<RequestDetailsView> {
  const details = await readRequestRecord(work);
  // Who did each step, by their staff address (the staff directory is outside the school's tenant).
  const staff = new Map(
    (await schoolStaffHolding(work.services, work.schoolId, 'organisation.read')).map((person) => [
      person.userId,
      person.email,
    ]),
  );
  return {
    ...details,
    history: details.history.map((event) => ({ ...event, actorLabel: actorLabel(event.actorId, staff) })),
  };
}

function actorLabel(actorId: string, staff: ReadonlyMap<string, string>): string {
  if (actorId === SYSTEM_ACTOR.id) {
    return 'Haven (automatic)';
  }
  return staff.get(actorId) ?? 'Someone no longer on the school’s staff, or the platform operator';
}

async function readRequestRecord(work: RequestWork): Promise<RequestDetailsView> {
  const { services, who, schoolId, requestId } = work;
  return services.db.withSchool(schoolId, async (trx) => {
    const row = await loadRequest(trx, schoolId, requestId, false);
    const vault = new SchoolVault(services.keyring, trx, schoolId);
    const requester = requesterOf(await vault.decrypt({ ...REQUESTER, rowId: row.id }, row.requester));
    const events = await requests.eventsOf(trx, schoolId, [row.id]);
    const history = await Promise.all(
      events.map(async (event) => ({
        kind: event.kind,
        statusFrom: event.status_from,
        statusTo: event.status_to,
        note: event.note === null ? null : await vault.decrypt({ ...NOTE, rowId: row.id }, event.note),
        details: event.details,
        actorId: event.actor_id,
        actorLabel: '',
        occurredAt: event.occurred_at.toISOString(),
      })),
    );
    const labels =
      row.subject_type === 'pupil' && row.subject_id !== null
        ? await pupilDisplayNames(trx, vault, schoolId, [row.subject_id])
        : new Map<string, string>();
    const certificateId = await requests.certificateIdOf(trx, schoolId, row.id);
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'privacy.request_read',
      target: `privacy_request:${row.id}`,
      subjectIds: row.subject_id === null ? [] : [row.subject_id],
      requestId: work.httpRequestId,
    });
    return {
      ...summaryOf(row, today()),
      requester: { ...requester, relationship: row.requester_relationship },
      description:
        row.description === null
          ? null
          : await vault.decrypt({ ...DESCRIPTION, rowId: row.id }, row.description),
      outcome: row.outcome,
      closedAt: row.closed_at?.toISOString() ?? null,
      subjectLabel: row.subject_id === null ? null : (labels.get(row.subject_id) ?? null),
      certificateId: certificateId ?? null,
      history,
      actions: availableActions(row, { canApprove: canApprove(who, schoolId), today: today() }),
    };
  });
}

export interface StepOutcome {
  status?: RequestStatus;
  changes?: Parameters<typeof requests.updateRequest>[3];
  note?: string | undefined;
  details?: Record<string, string | number | boolean | null>;
}

/**
 * Carries out one step on a request in one transaction: locks it, checks the step is allowed now,
 * runs the step's own work, then records the history event and the audit event. Every change to a
 * request goes through here.
 */
export async function stepRequest<R extends StepOutcome>(
  work: RequestWork,
  action: RequestAction,
  perform: (trx: Transaction<DB>, row: requests.RequestRow, on: CalendarDate) => Promise<R>,
): Promise<R> {
  const { services, who, schoolId, requestId } = work;
  return services.db.withSchool(schoolId, async (trx) => {
    const row = await loadRequest(trx, schoolId, requestId, true);
    const on = today();
    assertAction(row, action, { canApprove: canApprove(who, schoolId), today: on });
    const outcome = await perform(trx, row, on);
    const status = outcome.status ?? row.status;
    const closing = status !== row.status && isClosed({ status });
    const changes = {
      ...outcome.changes,
      status,
      // A request closed while its clock is stopped keeps the days it stood still, and its clock ends.
      ...(closing && row.paused_since !== null
        ? {
            pause_reason: null,
            paused_since: null,
            paused_days: row.paused_days + Math.max(0, daysBetween(row.paused_since, on)),
          }
        : {}),
      ...(closing ? { closed_at: new Date() } : {}),
    };
    const after = { ...row, ...changes };
    // Frozen from here on when the request closes (the register then shows the deadline it had).
    const due = dueDate(
      {
        receivedOn: after.received_on,
        extensionMonths: after.extension_months,
        pausedDays: after.paused_days,
        pausedSince: after.paused_since,
      },
      on,
    );
    await requests.updateRequest(trx, schoolId, row.id, { ...changes, due_on: due });
    const vault = new SchoolVault(services.keyring, trx, schoolId);
    await requests.insertEvent(trx, {
      school_id: schoolId,
      request_id: row.id,
      kind: action,
      status_from: row.status,
      status_to: status,
      note:
        outcome.note === undefined
          ? null
          : await vault.encrypt(row.id, { ...NOTE, rowId: row.id }, outcome.note),
      actor_id: who.userId,
      details: { ...outcome.details, dueOn: due },
    });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: `privacy.request_${action}`,
      target: `privacy_request:${row.id}`,
      subjectIds: after.subject_id === null ? [] : [after.subject_id],
      requestId: work.httpRequestId,
      details: { kind: row.kind, statusFrom: row.status, statusTo: status, ...outcome.details },
    });
    return outcome;
  });
}
