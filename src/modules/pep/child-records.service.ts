import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import type { Services } from '../../services.ts';
import { LEGAL_STATUSES } from './pep-codes.ts';
import { termLabel } from './pep-calendar.ts';
import { visibleChild, type PepViewer } from './pep-access.ts';
import { PepVault } from './pep-content.ts';
import * as repository from './pep.repository.ts';

// The virtual school is the controller of a looked-after child's PEPs, so it answers the child's rights:
// an access bundle of everything Haven holds about the child in its PEPs, and erasure, which deletes the
// rows and destroys the child's key (so backups taken before hold only unreadable ciphertext; the erasure
// ledger replays it after a restore).

export async function childBundle(services: Services, viewer: PepViewer, childId: string): Promise<object> {
  return services.db.withSchool(viewer.authorityId, async (trx) => {
    const child = await visibleChild(trx, viewer, childId);
    const vault = new PepVault(services, trx, viewer.authorityId);
    const identity = await vault.openChild(child);
    const documents = await repository.documentsOfChild(trx, viewer.authorityId, childId);
    const peps = [];
    for (const document of documents) {
      const events = await repository.eventsOf(trx, viewer.authorityId, document.id);
      peps.push({
        term: termLabel(document.term),
        kind: document.kind,
        version: document.version,
        state: document.state,
        dueOn: document.due_on,
        modules: await vault.openModules(document),
        history: await Promise.all(
          events.map(async (event) => ({
            action: event.action,
            role: event.actor_role,
            at: event.at.toISOString(),
            comment: await vault.openComment(event.id, event.comment),
          })),
        ),
      });
    }
    await recordAudit(trx, {
      orgId: viewer.authorityId,
      actor: { type: 'user', id: viewer.userId },
      action: 'pep.child_exported',
      target: `pep_child:${childId}`,
      subjectIds: [childId],
      requestId: viewer.requestId,
    });
    return {
      generatedAt: new Date().toISOString(),
      controller: 'The local authority’s virtual school',
      child: {
        ...identity,
        yearGroup: child.year_group,
        legalStatus: { code: child.legal_status, label: LEGAL_STATUSES[child.legal_status] ?? '' },
        enteredCareOn: child.entered_care_on,
        leftCareOn: child.left_care_on,
        school: {
          onHaven: child.linked_school_id !== null,
          name: child.school_name,
          linkStatus: child.link_status,
        },
      },
      peps,
    };
  });
}

/** Erases the child from the virtual school: rows deleted, key destroyed (crypto-shredding), audited. */
export async function eraseChild(
  services: Services,
  viewer: PepViewer,
  childId: string,
  reason: string,
): Promise<void> {
  await services.db.withSchool(viewer.authorityId, async (trx) => {
    await visibleChild(trx, viewer, childId);
    const deleted = await erasePepChildRows(trx, viewer.authorityId, childId);
    await services.keyring.destroySubjectKey(trx, viewer.authorityId, childId);
    await recordAudit(trx, {
      orgId: viewer.authorityId,
      actor: { type: 'user', id: viewer.userId },
      action: 'pep.child_erased',
      target: `pep_child:${childId}`,
      subjectIds: [childId],
      requestId: viewer.requestId,
      details: { reason, rowsDeleted: deleted },
    });
  });
}

/**
 * Deletes a child's PEP rows (documents, events and reminders go by cascade); for erasure and for the
 * erasure ledger's replay after a restore. Returns how many children rows went (0 or 1).
 */
export async function erasePepChildRows(
  trx: Transaction<DB>,
  authorityId: string,
  childId: string,
): Promise<number> {
  return repository.deleteChild(trx, authorityId, childId);
}
