import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { PLATFORM_ORG_ID, recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import type { Services } from '../../services.ts';
import { revokeAllForSchool } from '../apps/authorisations.service.ts';
import * as repository from './school-erasure.repository.ts';

// A school's full deletion (inactivity, leaving): every row of the school's data goes in one
// transaction, its keys are destroyed (so backups of its ciphertext are unreadable), staff whose only
// organisation it was lose their accounts, and the erasure ledger records the school so a restore from
// an older backup erases it again. Idempotent: running it again deletes whatever a restore brought back.

/** Tables whose rows outlive the school's deletion, and why: they hold no personal data. */
export const KEPT_AFTER_SCHOOL_ERASURE: Readonly<Record<string, string>> = {
  erasure_ledger: 'pseudonymous ids, replayed after any restore so erased people and schools stay erased',
  retention_certificates: 'the evidence of what was deleted, under which rule (pseudonymous ids and counts)',
  school_keys: 'destroyed by the keyring itself, which also purges them from memory',
};

export interface SchoolErasureOptions {
  /** Re-checked inside the deleting transaction; false leaves everything as it was. */
  stillDue?: (trx: Transaction<DB>) => Promise<boolean>;
  /** Recorded in the audit events (e.g. the rule applied). */
  reason?: string;
  /** Runs in the deleting transaction once the rows are gone (writes the certificate). */
  certify?: (trx: Transaction<DB>, deleted: Record<string, number>) => Promise<void>;
}

/**
 * Deletes all of a school's data and destroys its keys. Returns the rows deleted per table (empty when
 * `stillDue` said no).
 */
export async function eraseSchoolData(
  services: Services,
  schoolId: string,
  options: SchoolErasureOptions = {},
): Promise<Record<string, number>> {
  const { stillDue } = options;
  if (stillDue !== undefined) {
    const due = await services.db.withPlatform(`retention: is school ${schoolId} due`, (trx) =>
      stillDue(trx),
    );
    if (!due) {
      return {};
    }
  }
  // Apps lose access first: their grants live in the platform's tenant, not the school's. (The check is
  // repeated inside the deleting transaction; a school that became active in between keeps its data,
  // and its apps are approved again.)
  await revokeAllForSchool(services, schoolId, 'retention');
  return services.db.withPlatform(`retention: erase school ${schoolId}`, async (trx) => {
    if (options.stillDue !== undefined && !(await options.stillDue(trx))) {
      return {};
    }
    const deleted: Record<string, number> = {};
    for (const table of await repository.tenantTablesInDeletionOrder(trx)) {
      if (!(table in KEPT_AFTER_SCHOOL_ERASURE)) {
        const count = await repository.deleteSchoolRows(trx, table, schoolId);
        if (count > 0) {
          deleted[table] = count;
        }
      }
    }
    const grants = await repository.endSupportGrants(trx, schoolId);
    if (grants > 0) {
      deleted.support_grants = grants;
    }
    const orphans = await repository.endMemberships(trx, schoolId);
    for (const userId of orphans) {
      await services.keyring.destroySubjectKey(trx, PLATFORM_ORG_ID, userId);
    }
    const users = await repository.deleteUsers(trx, orphans);
    if (users > 0) {
      deleted.users = users;
    }
    const keys = await repository.schoolKeysLeft(trx, schoolId);
    if (keys > 0 || !(await services.keyring.schoolErased(trx, schoolId))) {
      await services.keyring.destroySchoolKeys(trx, schoolId);
      deleted.school_keys = keys;
    }
    await repository.markSchoolDeleted(trx, schoolId);
    await options.certify?.(trx, deleted);
    const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
    for (const orgId of [schoolId, PLATFORM_ORG_ID]) {
      await recordAudit(trx, {
        orgId,
        actor: SYSTEM_ACTOR,
        action: 'retention.school_erased',
        target: `school:${schoolId}`,
        details: { reason: options.reason ?? 'retention', rows: total, staffAccounts: users },
      });
    }
    return deleted;
  });
}
