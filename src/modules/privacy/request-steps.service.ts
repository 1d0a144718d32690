import { daysBetween } from '../../platform/calendar/working-days.ts';
import { badRequest } from '../../platform/http/errors.ts';
import { isStaffOf } from '../organisations/staff-data.service.ts';
import * as requests from './requests.repository.ts';
import { requireSubject, stepRequest, type RequestWork, type StepOutcome } from './requests.service.ts';

// The steps of a request's life that change only the request itself: the clock (stop, restart,
// extend), the identity check, the assignee, the subject, and closing it. Each goes through stepRequest
// (one transaction: lock, check the policy, change, history, audit).

/** Stops the clock while the school waits for proof of identity or clarification. */
export function pauseRequest(
  work: RequestWork,
  input: { reason: 'identity' | 'clarification'; note?: string | undefined; on?: string | undefined },
): Promise<StepOutcome> {
  return stepRequest(work, 'pause', async (trx, row, on) => {
    const since = input.on ?? on;
    // A pause may not reach back before the clock last restarted: those days are already counted.
    const resumed = (await requests.latestEvent(trx, work.schoolId, row.id, 'resume'))?.details.resumedOn;
    const restarted = typeof resumed === 'string' ? resumed : undefined;
    const earliest = restarted ?? row.received_on;
    if (daysBetween(earliest, since) < 0 || daysBetween(since, on) < 0) {
      throw badRequest(
        'The clock can stop only between the day it last ran from (receipt or restart) and today.',
        [{ field: 'body.on', message: 'is outside the request’s life' }],
      );
    }
    return {
      status: 'paused',
      changes: { pause_reason: input.reason, paused_since: since },
      note: input.note,
      details: { reason: input.reason, since },
    };
  });
}

/** Restarts the clock; the days it stood still are added to the deadline. */
export function resumeRequest(
  work: RequestWork,
  input: { on?: string | undefined; note?: string | undefined },
): Promise<StepOutcome> {
  return stepRequest(work, 'resume', async (_trx, row, on) => {
    const since = row.paused_since ?? on;
    const until = input.on ?? on;
    if (daysBetween(since, until) < 0 || daysBetween(until, on) < 0) {
      throw badRequest('The clock can restart only between the day it stopped and today.', [
        { field: 'body.on', message: 'is outside the pause' },
      ]);
    }
    const stood = daysBetween(since, until);
    return {
      status: 'open',
      changes: { pause_reason: null, paused_since: null, paused_days: row.paused_days + stood },
      note: input.note,
      details: { pausedDays: stood, resumedOn: until },
    };
  });
}

/** Extends a complex request's deadline by up to two further months, with the reason recorded. */
export function extendRequest(
  work: RequestWork,
  input: { months: number; reason: string },
): Promise<StepOutcome> {
  return stepRequest(work, 'extend', async (_trx, row) => {
    if (input.months <= row.extension_months) {
      throw badRequest(`This request is already extended by ${row.extension_months} month(s).`, [
        { field: 'body.months', message: 'must be more than the present extension' },
      ]);
    }
    return {
      changes: { extension_months: input.months },
      note: input.reason,
      details: { months: input.months },
    };
  });
}

export function recordIdentityCheck(
  work: RequestWork,
  input: { status: requests.RequestRow['identity_status']; note?: string | undefined },
): Promise<StepOutcome> {
  return stepRequest(work, 'identity', async () => ({
    changes: { identity_status: input.status },
    note: input.note,
    details: { identityStatus: input.status },
  }));
}

export function assignRequest(work: RequestWork, assigneeId: string | null): Promise<StepOutcome> {
  return stepRequest(work, 'assign', async () => ({
    changes: { assignee_id: assigneeId },
    details: { assigneeId },
  }));
}

/** Links the pupil (or member of staff) a request is about (requests from the platform arrive without). */
export async function linkSubject(work: RequestWork, subjectId: string): Promise<StepOutcome> {
  const isStaff = await isStaffOf(work.services, work.schoolId, subjectId);
  return stepRequest(work, 'link_subject', async (trx, row) => {
    await requireSubject(trx, work.schoolId, { type: row.subject_type, id: subjectId, isStaff });
    // A new subject needs its own identity check: the requester was checked against the old one.
    const changed = row.subject_id !== null && row.subject_id !== subjectId;
    return {
      changes: { subject_id: subjectId, ...(changed ? { identity_status: 'not_checked' as const } : {}) },
      details: { subjectId, identityReset: changed },
    };
  });
}

export function completeRequest(work: RequestWork, note: string): Promise<StepOutcome> {
  return stepRequest(work, 'complete', async () => ({
    status: 'completed',
    changes: { outcome: 'completed' },
    note,
  }));
}

/** Refuses a request (manifestly unfounded or excessive, or identity not proved), with the reason. */
export function refuseRequest(work: RequestWork, note: string): Promise<StepOutcome> {
  return stepRequest(work, 'refuse', async () => ({
    status: 'refused',
    changes: { outcome: 'refused' },
    note,
  }));
}

export function withdrawRequest(work: RequestWork, note: string | undefined): Promise<StepOutcome> {
  return stepRequest(work, 'withdraw', async () => ({
    status: 'withdrawn',
    changes: { outcome: 'withdrawn' },
    note,
  }));
}
