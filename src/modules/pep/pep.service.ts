import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import type { AuditDetails } from '../../platform/audit/audit.tables.ts';
import { todayInEngland } from '../../platform/calendar/working-days.ts';
import { AppError, badRequest, conflict, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { LEGAL_STATUSES } from './pep-codes.ts';
import { expectedPep, termOrder } from './pep-calendar.ts';
import { childReference, visibleChild, visibleDocument, type PepViewer } from './pep-access.ts';
import { fullName, PepVault, type Modules } from './pep-content.ts';
import { pepView } from './pep-view.ts';
import {
  mayEditModule,
  mayStartNextVersion,
  mayTransition,
  type Decision,
  type PepAction,
  type PepModule,
} from './pep.policy.ts';
import * as repository from './pep.repository.ts';
import { MODULE_SCHEMAS, type ModuleValues, type PepViewValue } from './pep.schema.ts';
import { Value } from 'typebox/value';
import { checkTargets, fundingTotals, missingForSubmission } from './pep-rules.ts';

// A child's PEP for a term: started by the virtual school or the designated teacher, written module by
// module, submitted, quality-assured, approved and signed off. A signed-off PEP is locked; changes start
// the next version.

/** Starts the term's PEP (initial in the term the child entered care, otherwise a termly review). */
export async function startPep(
  services: Services,
  viewer: PepViewer,
  childId: string,
  term: string,
): Promise<{ id: string }> {
  if (viewer.roles.every((role) => role === 'social_worker')) {
    throw new AppError(403, 'forbidden', 'A PEP is started by the virtual school or the designated teacher.');
  }
  return services.db.withSchool(viewer.authorityId, async (trx) => {
    const child = await visibleChild(trx, viewer, childId);
    const expected = expectedPep(child.entered_care_on, term);
    if (expected === undefined) {
      throw badRequest('That term is before the child entered care.', [
        { field: 'term', message: 'must not be before the term the child entered care' },
      ]);
    }
    const documents = await repository.documentsOfChild(trx, viewer.authorityId, childId);
    if (documents.some((document) => document.term === term)) {
      throw conflict('This child already has a PEP for that term.');
    }
    const id = randomUUID();
    const vault = new PepVault(services, trx, viewer.authorityId);
    const open = await vault.openChild(child);
    const previous = documents.find((document) => termOrder(document.term) < termOrder(term));
    const carried = previous === undefined ? [] : await carriedTargets(vault, previous);
    const basicInfo: ModuleValues['basic_info'] = {
      placementType: open.care.placementType,
      placementSince: null,
      carer: open.care.carer,
      socialWorker: open.care.socialWorker,
      designatedTeacher: '',
      schoolName: '',
      yearGroup: child.year_group,
      legalStatus: child.legal_status in LEGAL_STATUSES ? child.legal_status : 'C2',
      attendancePercent: null,
      sessionsMissed: null,
      suspensions: null,
      keyDates: [{ label: 'Entered care', date: child.entered_care_on }],
    };
    await repository.insertDocument(trx, {
      school_id: viewer.authorityId,
      id,
      child_id: childId,
      term,
      kind: expected.kind,
      version: 1,
      state: 'draft',
      due_on: expected.dueOn,
      basic_info: await vault.sealModule(childId, id, 'basic_info', basicInfo),
      targets:
        carried.length === 0 ? null : await vault.sealModule(childId, id, 'targets', { targets: carried }),
      ...fundingTotals(carried),
    });
    await logEvent(trx, vault, viewer, childId, id, 'started');
    await audit(trx, viewer, 'pep.started', childId, id, { term, kind: expected.kind });
    return { id };
  });
}

export async function readPep(
  services: Services,
  viewer: PepViewer,
  childId: string,
  pepId: string,
): Promise<PepViewValue> {
  return services.db.withSchool(viewer.authorityId, async (trx) => {
    const view = await currentView(services, trx, viewer, childId, pepId);
    await audit(trx, viewer, 'pep.read', childId, pepId, {});
    return view;
  });
}

/** Saves one module (the whole module); the policy decides who writes what, and when. */
export async function saveModule<M extends PepModule>(
  services: Services,
  viewer: PepViewer,
  childId: string,
  pepId: string,
  module: M,
  value: ModuleValues[M],
): Promise<PepViewValue> {
  return services.db.withSchool(viewer.authorityId, async (trx) => {
    const { document } = await documentOfChild(trx, viewer, childId, pepId);
    refuse(mayEditModule(viewer.roles, module, document.state));
    const vault = new PepVault(services, trx, viewer.authorityId);
    const changes: Parameters<typeof repository.updateDocument>[3] = {
      [module]: await vault.sealModule(childId, pepId, module, value),
    };
    if (module === 'targets' && Value.Check(MODULE_SCHEMAS.targets, value)) {
      const before = (await vault.openModules(document)).targets?.targets ?? [];
      checkTargets(viewer.roles, before, value.targets);
      Object.assign(changes, fundingTotals(value.targets));
    }
    if (module === 'qa' && Value.Check(MODULE_SCHEMAS.qa, value)) {
      changes.qa_rating = value.rating;
    }
    await repository.updateDocument(trx, viewer.authorityId, pepId, changes);
    await logEvent(trx, vault, viewer, childId, pepId, `saved:${module}`);
    await audit(trx, viewer, 'pep.module_saved', childId, pepId, { module });
    return currentView(services, trx, viewer, childId, pepId);
  });
}

/** Submits, returns (with a comment), approves or signs off a PEP. */
export async function transition(
  services: Services,
  viewer: PepViewer,
  childId: string,
  pepId: string,
  action: PepAction,
  comment: string | undefined,
): Promise<PepViewValue> {
  return services.db.withSchool(viewer.authorityId, async (trx) => {
    const { document } = await documentOfChild(trx, viewer, childId, pepId);
    const decision = mayTransition(viewer.roles, action, document.state);
    if (!decision.allowed) {
      throw refusal(decision);
    }
    const vault = new PepVault(services, trx, viewer.authorityId);
    const modules = await vault.openModules(document);
    checkReady(action, modules, comment);
    const now = new Date();
    const moved = await repository.moveDocument(trx, viewer.authorityId, pepId, document.state, {
      state: decision.to,
      ...(action === 'submit' ? { submitted_at: now } : {}),
      ...(action === 'sign_off' ? { signed_off_at: now, signed_off_by: viewer.userId } : {}),
    });
    if (!moved) {
      throw conflict('Someone else changed this PEP a moment ago. Reload it and try again.');
    }
    await logEvent(trx, vault, viewer, childId, pepId, action, comment?.trim() || undefined);
    await audit(trx, viewer, `pep.${action}`, childId, pepId, { from: document.state, to: decision.to });
    return currentView(services, trx, viewer, childId, pepId);
  });
}

/** A signed-off PEP is locked: this starts its next version, a draft with the same content (QA cleared). */
export async function nextVersion(
  services: Services,
  viewer: PepViewer,
  childId: string,
  pepId: string,
): Promise<{ id: string }> {
  return services.db.withSchool(viewer.authorityId, async (trx) => {
    const { document } = await documentOfChild(trx, viewer, childId, pepId);
    refuse(mayStartNextVersion(viewer.roles, document.state));
    const latest = (await repository.documentsOfChild(trx, viewer.authorityId, childId)).find(
      (entry) => entry.term === document.term,
    );
    if (latest !== undefined && latest.version !== document.version) {
      throw conflict('A newer version of this PEP already exists.');
    }
    const vault = new PepVault(services, trx, viewer.authorityId);
    const modules = await vault.openModules(document);
    const id = randomUUID();
    const sealed: Partial<Record<PepModule, Buffer>> = {};
    for (const module of ['basic_info', 'pupil_voice', 'send', 'meeting', 'targets'] as const) {
      const value = modules[module];
      if (value !== null) {
        sealed[module] = await vault.sealModule(childId, id, module, value);
      }
    }
    await repository.insertDocument(trx, {
      school_id: viewer.authorityId,
      id,
      child_id: childId,
      term: document.term,
      kind: document.kind,
      version: document.version + 1,
      state: 'draft',
      due_on: document.due_on,
      ...sealed,
      ...fundingTotals(modules.targets?.targets ?? []),
    });
    await logEvent(trx, vault, viewer, childId, id, 'new_version');
    await audit(trx, viewer, 'pep.new_version', childId, id, { from: pepId, version: document.version + 1 });
    return { id };
  });
}

/** The PEP as the viewer may see it (used by reads, exports and after each change). */
export async function currentView(
  services: Services,
  trx: Transaction<DB>,
  viewer: PepViewer,
  childId: string,
  pepId: string,
): Promise<PepViewValue> {
  const { document, child } = await documentOfChild(trx, viewer, childId, pepId);
  const vault = new PepVault(services, trx, viewer.authorityId);
  const open = await vault.openChild(child);
  const events = await repository.eventsOf(trx, viewer.authorityId, pepId);
  return pepView({
    document,
    child: { id: child.id, name: fullName(open), reference: childReference(child.id) },
    modules: await vault.openModules(document),
    history: await Promise.all(
      events.map(async (event) => ({
        action: event.action,
        role: event.actor_role,
        at: event.at.toISOString(),
        comment: await vault.openComment(event.id, event.comment),
      })),
    ),
    roles: viewer.roles,
    today: todayInEngland(),
  });
}

async function documentOfChild(trx: Transaction<DB>, viewer: PepViewer, childId: string, pepId: string) {
  const found = await visibleDocument(trx, viewer, pepId);
  if (found.child.id !== childId) {
    throw notFound('That PEP');
  }
  return found;
}

async function carriedTargets(vault: PepVault, previous: repository.DocumentRow) {
  const targets = (await vault.openModules(previous)).targets?.targets ?? [];
  return targets
    .filter((target) => target.status !== 'achieved')
    .map((target) => ({
      ...target,
      id: randomUUID(),
      fundingRequestedPence: 0,
      fundingApprovedPence: null,
      carriedFromTerm: target.carriedFromTerm ?? previous.term,
    }));
}

function checkReady(action: PepAction, modules: Modules, comment: string | undefined): void {
  if (action === 'return' && (comment === undefined || comment.trim() === '')) {
    throw badRequest('Say what needs changing when you return a PEP.', [
      { field: 'comment', message: 'is required when returning a PEP' },
    ]);
  }
  if (action === 'submit') {
    const missing = missingForSubmission(modules);
    if (missing.length > 0) {
      throw badRequest('The PEP is not ready to submit.', missing);
    }
  }
  if (action === 'approve' && modules.qa === null) {
    throw badRequest('Rate the PEP in the QA & Sign Off section before approving it.', [
      { field: 'qa', message: 'needs a quality rating before approval' },
    ]);
  }
}

function refuse(decision: Decision): void {
  if (!decision.allowed) {
    throw refusal(decision);
  }
}

function refusal(decision: Extract<Decision, { allowed: false }>): AppError {
  return new AppError(decision.status, decision.status === 403 ? 'forbidden' : 'conflict', decision.reason);
}

async function logEvent(
  trx: Transaction<DB>,
  vault: PepVault,
  viewer: PepViewer,
  childId: string,
  documentId: string,
  action: string,
  comment?: string,
): Promise<void> {
  const id = randomUUID();
  await repository.insertEvent(trx, {
    school_id: viewer.authorityId,
    id,
    document_id: documentId,
    action,
    actor_id: viewer.userId,
    actor_role: viewer.roles.join(','),
    comment: comment === undefined ? null : await vault.sealComment(childId, id, comment),
  });
}

async function audit(
  trx: Transaction<DB>,
  viewer: PepViewer,
  action: string,
  childId: string,
  pepId: string,
  details: AuditDetails,
): Promise<void> {
  await recordAudit(trx, {
    orgId: viewer.authorityId,
    actor: { type: 'user', id: viewer.userId },
    action,
    target: `pep:${pepId}`,
    subjectIds: [childId],
    requestId: viewer.requestId,
    details: viewer.schoolId === undefined ? details : { ...details, schoolId: viewer.schoolId },
  });
}

/** A PEP read for export (audited as an export, not a read). */
export async function exportablePep(
  services: Services,
  viewer: PepViewer,
  childId: string,
  pepId: string,
  format: 'html' | 'pdf',
): Promise<PepViewValue> {
  return services.db.withSchool(viewer.authorityId, async (trx) => {
    const view = await currentView(services, trx, viewer, childId, pepId);
    if (view.state === 'signed_off') {
      await audit(trx, viewer, 'pep.exported', childId, pepId, { format });
    }
    return view;
  });
}
