import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import type { Services } from '../../services.ts';
import { erasePepChildRows } from '../pep/child-records.service.ts';
import { pupilExists } from '../pupils/pupil-search.service.ts';
import { eraseSchoolData } from '../retention/school-erasure.service.ts';
import * as ledgerRows from './erasure-ledger.repository.ts';
import * as erasure from './erasure.repository.ts';

// Erasure reaching backups (reference § 5): a backup taken before an erasure still holds the pupil's
// rows and key. The erasure ledger — pseudonymous ids only, kept (and exported) apart from backups —
// is replayed after any restore, which erases those pupils again. Whole schools shredded when they
// left are in the ledger too, and are erased again the same way. Replaying is idempotent.

/** One erasure: a data subject of a school, or a whole school. Pseudonymous ids only. */
export type LedgerEntry =
  { scope: 'subject'; schoolId: string; subjectId: string } | { scope: 'school'; schoolId: string };

export interface ReplayOutcome {
  subjects: number;
  pupilsErasedAgain: number;
  keysDestroyedAgain: number;
  schools: number;
  /** Rows of erased schools that the restore had brought back, deleted again. */
  schoolRowsErasedAgain: number;
}

/** Every erasure the database's ledger records (to keep apart from backups): subjects, then schools. */
export async function erasureLedger(services: Services): Promise<LedgerEntry[]> {
  const [subjectSchools, schools] = await services.db.withPlatform('erasure ledger: export', async (trx) => [
    await services.keyring.schoolsWithErasures(trx),
    await ledgerRows.erasedSchools(trx),
  ]);
  const entries: LedgerEntry[] = [];
  for (const schoolId of subjectSchools) {
    const subjects = await services.db.withSchool(schoolId, (trx) =>
      services.keyring.erasedSubjects(trx, schoolId),
    );
    entries.push(...subjects.map((subjectId) => ({ scope: 'subject' as const, schoolId, subjectId })));
  }
  entries.push(...schools.map((schoolId) => ({ scope: 'school' as const, schoolId })));
  return entries;
}

/** The entries of several ledgers, each erasure once (e.g. the database's own and the file kept apart). */
export function mergeLedgers(...ledgers: ReadonlyArray<readonly LedgerEntry[]>): LedgerEntry[] {
  const merged = new Map<string, LedgerEntry>();
  for (const entry of ledgers.flat()) {
    const key =
      entry.scope === 'school' ? `school/${entry.schoolId}` : `${entry.schoolId}/${entry.subjectId}`;
    merged.set(key, entry);
  }
  return [...merged.values()];
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
  const subjectEntries = ledger.filter((entry) => entry.scope === 'subject');
  const schools = ledger.filter((entry) => entry.scope === 'school').map((entry) => entry.schoolId);
  const outcome: ReplayOutcome = {
    subjects: subjectEntries.length,
    pupilsErasedAgain: 0,
    keysDestroyedAgain: 0,
    schools: schools.length,
    schoolRowsErasedAgain: 0,
  };
  await replaySubjects(services, subjectEntries, outcome);
  // Subjects first, so the ledger is whole again before a school's erasure; a school's erasure then
  // deletes whatever of it the restore brought back and destroys its keys (idempotent).
  for (const schoolId of schools) {
    const deleted = await eraseSchoolData(services, schoolId);
    outcome.schoolRowsErasedAgain += Object.values(deleted).reduce((sum, count) => sum + count, 0);
  }
  return outcome;
}

async function replaySubjects(
  services: Services,
  ledger: ReadonlyArray<Extract<LedgerEntry, { scope: 'subject' }>>,
  outcome: ReplayOutcome,
): Promise<void> {
  const bySchool = Map.groupBy(ledger, (entry) => entry.schoolId);
  for (const [schoolId, subjects] of bySchool) {
    await services.db.withSchool(schoolId, async (trx) => {
      const known = new Set(await services.keyring.erasedSubjects(trx, schoolId));
      for (const { subjectId } of subjects) {
        // A looked-after child erased by a virtual school: their PEPs, if a restore brought them back.
        outcome.pupilsErasedAgain += await erasePepChildRows(trx, schoolId, subjectId);
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
}
