import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { isPepRole, type PepRole } from './pep.policy.ts';
import * as repository from './pep.repository.ts';

// Who is looking at a PEP, and which children they may see. The virtual school's head and officers see
// every child of their authority; a social worker (with no virtual school role) sees the children
// allocated to them; a school's designated teacher sees the children whose link the school agreed.

export interface PepViewer {
  userId: string;
  /** The authority whose tenant holds the PEPs. */
  authorityId: string;
  roles: PepRole[];
  /** A school's designated teacher: only children linked (agreed) to this school. */
  schoolId?: string;
  /** A social worker only: only children allocated to them. */
  socialWorkerOnly: boolean;
  requestId: string;
}

/** The viewer for a virtual school's route (the hook has checked the role there). */
export function authorityViewer(who: SignedIn, authorityId: string, requestId: string): PepViewer {
  const roles = who.actor.memberships
    .filter((membership) => membership.orgId === authorityId)
    .map((membership) => membership.role)
    .filter(isPepRole);
  return {
    userId: who.userId,
    authorityId,
    roles,
    socialWorkerOnly: roles.every((role) => role === 'social_worker'),
    requestId,
  };
}

/**
 * The viewer for a school's route about one child: the child must be linked to the school with its
 * agreement. Answers 404 alike for unknown children and children of other schools.
 */
export async function schoolViewer(
  services: Services,
  who: SignedIn,
  schoolId: string,
  childId: string,
  requestId: string,
): Promise<PepViewer> {
  const linked = await services.db.withSchool(schoolId, (trx) => repository.childrenLinkedTo(trx, schoolId));
  const link = linked.find((entry) => entry.id === childId && entry.linkStatus === 'agreed');
  if (link === undefined) {
    throw notFound('That child');
  }
  return schoolViewerFor(who, schoolId, link.authorityId, requestId);
}

export function schoolViewerFor(
  who: SignedIn,
  schoolId: string,
  authorityId: string,
  requestId: string,
): PepViewer {
  const roles = who.actor.memberships
    .filter((membership) => membership.orgId === schoolId)
    .map((membership) => membership.role)
    .filter(isPepRole);
  return { userId: who.userId, authorityId, roles, schoolId, socialWorkerOnly: false, requestId };
}

/** Whether the viewer may see this child's record and PEPs. */
export function canSeeChild(viewer: PepViewer, child: repository.ChildRow): boolean {
  if (child.school_id !== viewer.authorityId) {
    return false;
  }
  if (viewer.schoolId !== undefined) {
    return child.linked_school_id === viewer.schoolId && child.link_status === 'agreed';
  }
  return !viewer.socialWorkerOnly || child.social_worker_id === viewer.userId;
}

/** The child, if the viewer may see them; otherwise 404 (never confirm who exists). */
export async function visibleChild(
  trx: Transaction<DB>,
  viewer: PepViewer,
  childId: string,
): Promise<repository.ChildRow> {
  const child = await repository.childById(trx, viewer.authorityId, childId);
  if (child === undefined || !canSeeChild(viewer, child)) {
    throw notFound('That child');
  }
  return child;
}

/** The PEP and its child, if the viewer may see them; otherwise 404. */
export async function visibleDocument(
  trx: Transaction<DB>,
  viewer: PepViewer,
  pepId: string,
): Promise<{ document: repository.DocumentRow; child: repository.ChildRow }> {
  const document = await repository.documentById(trx, viewer.authorityId, pepId);
  if (document === undefined) {
    throw notFound('That PEP');
  }
  const child = await repository.childById(trx, viewer.authorityId, document.child_id);
  if (child === undefined || !canSeeChild(viewer, child)) {
    throw notFound('That PEP');
  }
  return { document, child };
}

/** A short reference for a child in e-mails and exports' file names: never a name. */
export function childReference(childId: string): string {
  return `LAC-${childId.slice(0, 8).toUpperCase()}`;
}
