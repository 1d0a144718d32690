import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import type { Services } from '../../services.ts';
import { pupilExists } from '../pupils/pupil-search.service.ts';
import * as erasure from './erasure.repository.ts';

// Erasure reaching backups (reference § 5): a backup taken before an erasure still holds the pupil's
// rows and key. The erasure ledger — pseudonymous ids only, kept (and exported) apart from backups —
// is replayed after any restore, which erases those pupils again. Replaying is idempotent.

export interface LedgerEntry {
  schoolId: string;
  subjectId: string;
}

export interface ReplayOutcome {
  subjects: number;
  pupilsErasedAgain: number;
  keysDestroyedAgain: number;
}

/** Every subject erasure the database's ledger records (to keep apart from backups). */
export async function erasureLedger(services: Services): Promise<LedgerEntry[]> {
  const schools = await services.db.withPlatform('erasure ledger: export', (trx) =>
    services.keyring.schoolsWithErasures(trx),
  );
  const entries: LedgerEntry[] = [];
  for (const schoolId of schools) {
    const subjects = await services.db.withSchool(schoolId, (trx) =>
      services.keyring.erasedSubjects(trx, schoolId),
    );
    entries.push(...subjects.map((subjectId) => ({ schoolId, subjectId })));
  }
  return entries;
}

/**
 * Erases again every subject of the ledger (the database's own, or one kept apart from the backup that
 * was restored): their rows, their key and blind indexes; the apps' deletions feed and the ledger are
 * made whole again where the restore took them back.
 */
export async function replayErasureLedger(
  services: Services,
  entries?: readonly LedgerEntry[],
): Promise<ReplayOutcome> {
  const ledger = entries ?? (await erasureLedger(services));
  const outcome: ReplayOutcome = { subjects: ledger.length, pupilsErasedAgain: 0, keysDestroyedAgain: 0 };
  const bySchool = Map.groupBy(ledger, (entry) => entry.schoolId);
  for (const [schoolId, subjects] of bySchool) {
    await services.db.withSchool(schoolId, async (trx) => {
      const known = new Set(await services.keyring.erasedSubjects(trx, schoolId));
      for (const { subjectId } of subjects) {
        if (await pupilExists(trx, schoolId, subjectId)) {
          await erasure.deletePupil(trx, schoolId, subjectId);
          outcome.pupilsErasedAgain += 1;
          if (!(await erasure.removalRecorded(trx, schoolId, subjectId))) {
            await erasure.recordRemoval(trx, schoolId, subjectId, 'erased');
          }
        }
        if (!known.has(subjectId)) {
          // The restored ledger predates this erasure: it is written again (shredding records it).
          await services.keyring.destroySubjectKey(trx, schoolId, subjectId);
          outcome.keysDestroyedAgain += 1;
        } else if (await services.keyring.reapplySubjectErasure(trx, schoolId, subjectId)) {
          outcome.keysDestroyedAgain += 1;
        }
      }
      await recordAudit(trx, {
        orgId: schoolId,
        actor: SYSTEM_ACTOR,
        action: 'privacy.erasure_ledger_replayed',
        subjectIds: subjects.map((entry) => entry.subjectId),
        details: { subjects: subjects.length },
      });
    });
  }
  return outcome;
}
