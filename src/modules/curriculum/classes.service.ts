import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { withIdentity, type SignedIn } from '../organisations/identity.ts';
import { loadActor } from '../organisations/users.service.ts';
import * as curriculum from './curriculum.repository.ts';

// Classes and who teaches them: a teacher's view of pupils follows these links.

export async function listClasses(services: Services, schoolId: string): Promise<curriculum.ClassRow[]> {
  return services.db.withSchool(schoolId, (trx) => curriculum.listClasses(trx, schoolId));
}

/** Links a member of the school's staff to a class they teach; they must hold a role in this school. */
export async function assignTeacher(
  services: Services,
  who: SignedIn,
  schoolId: string,
  classId: string,
  userId: string,
  requestId: string,
): Promise<void> {
  const isStaff = await withIdentity(services, async (trx) =>
    (await loadActor(trx, userId)).memberships.some((membership) => membership.orgId === schoolId),
  );
  if (!isStaff) {
    throw new AppError(404, 'not_found', 'That person is not on this school’s staff.', [
      { field: 'userId', message: 'has no role in this school' },
    ]);
  }
  await services.db.withSchool(schoolId, async (trx) => {
    if (!(await curriculum.classExists(trx, schoolId, classId))) {
      throw notFound('That class');
    }
    await curriculum.addClassTeacher(trx, schoolId, classId, userId);
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'classes.teacher_assigned',
      target: `class:${classId}`,
      requestId,
      details: { userId },
    });
  });
}

export async function unassignTeacher(
  services: Services,
  who: SignedIn,
  schoolId: string,
  classId: string,
  userId: string,
  requestId: string,
): Promise<void> {
  await services.db.withSchool(schoolId, async (trx) => {
    if (!(await curriculum.removeClassTeacher(trx, schoolId, classId, userId))) {
      throw notFound('That teacher of that class');
    }
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'classes.teacher_removed',
      target: `class:${classId}`,
      requestId,
      details: { userId },
    });
  });
}
