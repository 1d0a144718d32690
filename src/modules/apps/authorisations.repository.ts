import { sql, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { AppAuthorisationsTable } from './apps.tables.ts';

export type AuthorisationRow = Selectable<AppAuthorisationsTable>;

export async function insertAuthorisation(
  trx: Transaction<DB>,
  row: { schoolId: string; appId: string; scopes: string[]; grantId: string; approvedBy: string },
): Promise<AuthorisationRow> {
  return trx
    .insertInto('app_authorisations')
    .values({
      school_id: row.schoolId,
      app_id: row.appId,
      scopes: row.scopes,
      grant_id: row.grantId,
      approved_by: row.approvedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function activeAuthorisations(
  trx: Transaction<DB>,
  schoolId: string,
): Promise<AuthorisationRow[]> {
  return trx
    .selectFrom('app_authorisations')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('status', '=', 'active')
    .orderBy('approved_at', 'desc')
    .execute();
}

export async function findActiveForApp(
  trx: Transaction<DB>,
  schoolId: string,
  appId: string,
): Promise<AuthorisationRow[]> {
  return trx
    .selectFrom('app_authorisations')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('app_id', '=', appId)
    .where('status', '=', 'active')
    .execute();
}

export type AuthorisationInUse = Pick<AuthorisationRow, 'id' | 'scopes'>;

/**
 * The grant's authorisation if it is still active, counting one more request by the app for the school's
 * view of its usage: the check and the count in one statement.
 */
export async function useActiveByGrant(
  trx: Transaction<DB>,
  grantId: string,
): Promise<AuthorisationInUse | undefined> {
  return trx
    .updateTable('app_authorisations')
    .set({ last_access_at: new Date(), request_count: sql<string>`request_count + 1` })
    .where('grant_id', '=', grantId)
    .where('status', '=', 'active')
    .returning(['id', 'scopes'])
    .executeTakeFirst();
}

export async function markRevoked(trx: Transaction<DB>, id: string, by: string): Promise<void> {
  await trx
    .updateTable('app_authorisations')
    .set({ status: 'revoked', revoked_by: by, revoked_at: new Date() })
    .where('id', '=', id)
    .execute();
}
