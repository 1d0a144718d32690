import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { isCalendarDate, todayInEngland } from '../../platform/calendar/working-days.ts';
import { AppError, badRequest, notFound, type FieldError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { organisationDirectory, organisationKind } from '../organisations/organisations.service.ts';
import { staffInRoles } from '../organisations/staff.service.ts';
import { pepSchoolData } from '../pupils/pupil-pep.service.ts';
import { upnProblem } from '../pupils/upn.ts';
import { childSummaries, pepListEntry } from './child-views.ts';
import { fullName, PepVault } from './pep-content.ts';
import { LEGAL_STATUSES } from './pep-codes.ts';
import { initialDueOn } from './pep-calendar.ts';
import { visibleChild, type PepViewer } from './pep-access.ts';
import * as repository from './pep.repository.ts';
import type { ChildDetailView, ChildSummaryView, ChildUpdate, NewChild } from './pep.schema.ts';

// The virtual school's children: added by the authority, linked to their school's record with the
// school's agreement (or named at a school not on Haven), cared for until they leave care.

/** The children the viewer may see, each with this term's PEP. */
export async function listChildren(services: Services, viewer: PepViewer): Promise<ChildSummaryView[]> {
  return services.db.withSchool(viewer.authorityId, async (trx) => {
    const rows = await repository.childrenOf(trx, viewer.authorityId, {
      ...(viewer.socialWorkerOnly ? { socialWorkerId: viewer.userId } : {}),
      ...(viewer.schoolId === undefined ? {} : { linkedSchoolId: viewer.schoolId }),
    });
    const summaries = await childSummaries(services, trx, viewer.authorityId, rows, todayInEngland());
    await recordAudit(trx, {
      orgId: viewer.authorityId,
      actor: { type: 'user', id: viewer.userId },
      action: 'pep.children_listed',
      subjectIds: rows.map((row) => row.id),
      requestId: viewer.requestId,
      details: viewer.schoolId === undefined ? {} : { schoolId: viewer.schoolId },
    });
    return summaries;
  });
}

/** Adds a looked-after child; naming a school on Haven asks that school to agree the link. */
export async function addChild(
  services: Services,
  viewer: PepViewer,
  input: NewChild,
): Promise<{ id: string }> {
  mustBeVirtualSchool(viewer);
  const fields = await checkChild(services, viewer.authorityId, input);
  if (fields.length > 0) {
    throw badRequest('The child’s details are not valid.', fields);
  }
  const id = randomUUID();
  const upn =
    input.upn === undefined || input.upn === null || input.upn.trim() === ''
      ? null
      : input.upn.trim().toUpperCase();
  await services.db.withSchool(viewer.authorityId, async (trx) => {
    // Authorities created before PEPs had no keys of their own: made on first use (idempotent).
    await services.keyring.createSchoolKeys(trx, viewer.authorityId);
    const sealed = await new PepVault(services, trx, viewer.authorityId).sealChild(id, {
      forename: input.forename.trim(),
      surname: input.surname.trim(),
      dob: input.dob,
      upn,
      care: input.care,
    });
    await repository.insertChild(trx, {
      school_id: viewer.authorityId,
      id,
      ...sealed,
      year_group: input.yearGroup,
      legal_status: input.legalStatus,
      entered_care_on: input.enteredCareOn,
      left_care_on: null,
      social_worker_id: input.socialWorkerId ?? null,
      ...schoolLink(input.school),
      school_pupil_id: null,
      link_decided_at: null,
    });
    await recordAudit(trx, {
      orgId: viewer.authorityId,
      actor: { type: 'user', id: viewer.userId },
      action: 'pep.child_added',
      target: `pep_child:${id}`,
      subjectIds: [id],
      requestId: viewer.requestId,
      details: 'schoolId' in input.school ? { linkRequestedTo: input.school.schoolId } : {},
    });
  });
  return { id };
}

/** Changes a child's care details, social worker or school (a new school on Haven is asked again). */
export async function updateChild(
  services: Services,
  viewer: PepViewer,
  childId: string,
  input: ChildUpdate,
): Promise<void> {
  mustBeVirtualSchool(viewer);
  const fields = await checkChild(services, viewer.authorityId, input);
  await services.db.withSchool(viewer.authorityId, async (trx) => {
    const child = await visibleChild(trx, viewer, childId);
    if (
      input.leftCareOn !== undefined &&
      input.leftCareOn !== null &&
      input.leftCareOn < child.entered_care_on
    ) {
      fields.push({ field: 'leftCareOn', message: 'must not be before the day the child entered care' });
    }
    if (fields.length > 0) {
      throw badRequest('The child’s details are not valid.', fields);
    }
    const sameSchool =
      input.school === undefined ||
      ('schoolId' in input.school
        ? input.school.schoolId === child.linked_school_id
        : input.school.name === child.school_name);
    await repository.updateChild(trx, viewer.authorityId, childId, {
      ...(input.yearGroup === undefined ? {} : { year_group: input.yearGroup }),
      ...(input.legalStatus === undefined ? {} : { legal_status: input.legalStatus }),
      ...(input.socialWorkerId === undefined ? {} : { social_worker_id: input.socialWorkerId }),
      ...(input.leftCareOn === undefined ? {} : { left_care_on: input.leftCareOn }),
      ...(input.care === undefined
        ? {}
        : { care: await new PepVault(services, trx, viewer.authorityId).sealCare(childId, input.care) }),
      ...(sameSchool || input.school === undefined
        ? {}
        : { ...schoolLink(input.school), school_pupil_id: null, link_decided_at: null }),
    });
    await recordAudit(trx, {
      orgId: viewer.authorityId,
      actor: { type: 'user', id: viewer.userId },
      action: 'pep.child_updated',
      target: `pep_child:${childId}`,
      subjectIds: [childId],
      requestId: viewer.requestId,
      details: { fields: Object.keys(input).join(','), schoolChanged: !sameSchool },
    });
  });
}

/**
 * One child's record: identity, care, the PEPs, and — when the school agreed the link — the PEP-relevant
 * part of the school's data (read in the school's context afterwards, and audited there).
 */
export async function readChild(
  services: Services,
  viewer: PepViewer,
  childId: string,
): Promise<ChildDetailView> {
  const today = todayInEngland();
  const { detail, link } = await services.db.withSchool(viewer.authorityId, async (trx) => {
    const child = await visibleChild(trx, viewer, childId);
    const open = await new PepVault(services, trx, viewer.authorityId).openChild(child);
    const [summary] = await childSummaries(services, trx, viewer.authorityId, [child], today);
    if (summary === undefined) {
      throw notFound('That child');
    }
    const documents = await repository.documentsOfChild(trx, viewer.authorityId, childId);
    await recordAudit(trx, {
      orgId: viewer.authorityId,
      actor: { type: 'user', id: viewer.userId },
      action: 'pep.child_read',
      target: `pep_child:${childId}`,
      subjectIds: [childId],
      requestId: viewer.requestId,
      details: viewer.schoolId === undefined ? {} : { schoolId: viewer.schoolId },
    });
    return {
      detail: {
        ...summary,
        name: fullName(open),
        forename: open.forename,
        surname: open.surname,
        dob: open.dob,
        upn: open.upn,
        legalStatus: {
          code: child.legal_status,
          label: LEGAL_STATUSES[child.legal_status] ?? child.legal_status,
        },
        care: open.care,
        socialWorkerId: child.social_worker_id,
        peps: documents.map(pepListEntry),
        initialDueOn: initialDueOn(child.entered_care_on),
      },
      link:
        child.link_status === 'agreed' && child.linked_school_id !== null && child.school_pupil_id !== null
          ? { schoolId: child.linked_school_id, pupilId: child.school_pupil_id }
          : undefined,
    };
  });
  const schoolData =
    link === undefined
      ? { available: false, yearGroup: null, sen: null, ks2: null, assessmentPoint: null, subjects: [] }
      : await pepSchoolData(services, link.schoolId, link.pupilId, viewer);
  return { ...detail, schoolData };
}

/** Schools on Haven a child can be linked to (names are public). */
export async function schoolOptions(services: Services): Promise<Array<{ id: string; name: string }>> {
  return organisationDirectory(services, 'school');
}

/** The authority's social workers, to allocate a child to. */
export async function socialWorkers(
  services: Services,
  authorityId: string,
): Promise<Array<{ id: string; email: string }>> {
  const staff = await staffInRoles(services, authorityId, ['social_worker']);
  return staff.map((member) => ({ id: member.userId, email: member.email }));
}

function schoolLink(school: NewChild['school']) {
  return 'schoolId' in school
    ? { linked_school_id: school.schoolId, school_name: null, link_status: 'requested' as const }
    : { linked_school_id: null, school_name: school.name.trim(), link_status: 'none' as const };
}

async function checkChild(
  services: Services,
  authorityId: string,
  input: Partial<NewChild> & { leftCareOn?: string | null },
): Promise<FieldError[]> {
  const fields: FieldError[] = [];
  for (const field of ['dob', 'enteredCareOn', 'leftCareOn'] as const) {
    const value = input[field];
    if (typeof value === 'string' && !isCalendarDate(value)) {
      fields.push({ field, message: 'must be a real date, yyyy-mm-dd' });
    }
  }
  if (input.dob !== undefined && input.enteredCareOn !== undefined && input.enteredCareOn < input.dob) {
    fields.push({ field: 'enteredCareOn', message: 'must not be before the child’s date of birth' });
  }
  if (input.enteredCareOn !== undefined && input.enteredCareOn > todayInEngland()) {
    fields.push({ field: 'enteredCareOn', message: 'must not be in the future' });
  }
  if (input.legalStatus !== undefined && !(input.legalStatus in LEGAL_STATUSES)) {
    fields.push({
      field: 'legalStatus',
      message: `is not an SSDA903 legal status (${Object.keys(LEGAL_STATUSES).join(', ')})`,
    });
  }
  const upn = typeof input.upn === 'string' ? input.upn.trim().toUpperCase() : '';
  const problem = upn === '' ? undefined : upnProblem(upn);
  if (problem !== undefined) {
    fields.push({ field: 'upn', message: problem });
  }
  if (input.school !== undefined && 'schoolId' in input.school) {
    if ((await organisationKind(services, input.school.schoolId)) !== 'school') {
      fields.push({ field: 'school.schoolId', message: 'is not a school on Haven' });
    }
  }
  if (input.socialWorkerId !== undefined && input.socialWorkerId !== null) {
    const workers = await socialWorkers(services, authorityId);
    if (!workers.some((worker) => worker.id === input.socialWorkerId)) {
      fields.push({ field: 'socialWorkerId', message: 'is not a social worker of this virtual school' });
    }
  }
  return fields;
}

/** Refused for a looked-after child's record that is not the viewer's to change. */
export function mustBeVirtualSchool(viewer: PepViewer): void {
  if (viewer.schoolId !== undefined || viewer.socialWorkerOnly) {
    throw new AppError(403, 'forbidden', 'Only the virtual school changes a child’s care record.');
  }
}
