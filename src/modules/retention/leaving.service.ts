import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import { todayInEngland, type CalendarDate } from '../../platform/calendar/working-days.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { revokeAllForSchool } from '../apps/authorisations.service.ts';
import { getSchool } from '../organisations/organisations.service.ts';
import { mailSchoolAdmins } from '../privacy/privacy-mail.ts';
import * as repository from './retention.repository.ts';
import * as standings from './school-status.repository.ts';
import { offboardingDeletionDay, periodInForce, ruleById } from './rules.ts';

// Leaving Haven ("remove connection"): every app loses access at once, and the school's data is deleted
// on the due day, the rule's working days later (England and Wales bank holidays skipped). Until then
// the school can change its mind; after it, nothing is left to come back to.

export interface Leaving {
  status: 'active' | 'leaving' | 'left';
  requestedAt: string | null;
  deletionDueOn: CalendarDate | null;
  appsRevoked: number;
}

/**
 * The day data goes when a school leaves or removes its connection today: the school_offboarding rule's
 * working days (the school's own shorter period if it set one), in the caller's school transaction.
 */
export async function offboardingDueOn(
  trx: Transaction<DB>,
  schoolId: string,
  today: CalendarDate,
): Promise<CalendarDate> {
  const policies = await repository.schoolPolicies(trx, schoolId);
  const days = periodInForce(ruleById('school_offboarding'), policies.get('school_offboarding')) ?? 5;
  return offboardingDeletionDay(today, days);
}

/** Starts the school's leaving clock and revokes every app at once. */
export async function leaveHaven(
  services: Services,
  schoolId: string,
  by: Actor,
  requestId?: string,
): Promise<Leaving> {
  const school = await getSchool(services, schoolId);
  const today = todayInEngland();
  const dueOn = await services.db.withSchool(schoolId, async (trx) => {
    const due = await offboardingDueOn(trx, schoolId, today);
    if (!(await standings.markLeaving(trx, schoolId, { by: by.id, dueOn: due }))) {
      throw new AppError(409, 'already_leaving', `${school.name} is already leaving Haven.`);
    }
    await recordAudit(trx, {
      orgId: schoolId,
      actor: by,
      action: 'retention.leaving_started',
      target: `school:${schoolId}`,
      requestId,
      details: { deletionDueOn: due },
    });
    return due;
  });
  const appsRevoked = await revokeAllForSchool(services, schoolId, 'leaving');
  await mailSchoolAdmins(
    services,
    schoolId,
    `${school.name} is leaving Haven: its data will be deleted on ${dueOn}`,
    [
      `${school.name} asked to leave Haven today. Every app the school had approved has lost access already.`,
      `All of the school's data in Haven (pupils, results, staff accounts used only there, requests and uploads) will be deleted on or before ${dueOn}. It cannot be recovered after that.`,
      `Changed your mind? A school administrator can cancel before then: ${services.publicUrl}/schools/${schoolId}/retention`,
    ],
  );
  return { status: 'leaving', requestedAt: new Date().toISOString(), deletionDueOn: dueOn, appsRevoked };
}

/** Stops the leaving clock (apps stay revoked: the school approves them again if it wants them). */
export async function stayOnHaven(
  services: Services,
  schoolId: string,
  by: Actor,
  requestId?: string,
): Promise<Leaving> {
  const school = await getSchool(services, schoolId);
  await services.db.withSchool(schoolId, async (trx) => {
    if (!(await standings.cancelLeaving(trx, schoolId))) {
      throw new AppError(409, 'not_leaving', `${school.name} is not leaving Haven.`);
    }
    await recordAudit(trx, {
      orgId: schoolId,
      actor: by,
      action: 'retention.leaving_cancelled',
      target: `school:${schoolId}`,
      requestId,
    });
  });
  await mailSchoolAdmins(services, schoolId, `${school.name} is staying on Haven`, [
    `The request for ${school.name} to leave Haven was cancelled: its data will not be deleted.`,
    'Apps that lost access when the school asked to leave need approving again (Apps).',
  ]);
  return { status: 'active', requestedAt: null, deletionDueOn: null, appsRevoked: 0 };
}
