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

export async function findByGrant(
  trx: Transaction<DB>,
  grantId: string,
): Promise<AuthorisationRow | undefined> {
  return trx.selectFrom('app_authorisations').selectAll().where('grant_id', '=', grantId).executeTakeFirst();
}

export async function markRevoked(trx: Transaction<DB>, id: string, by: string): Promise<void> {
  await trx
    .updateTable('app_authorisations')
    .set({ status: 'revoked', revoked_by: by, revoked_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** One more request by the app: counted for the school's view of its usage. */
export async function recordUse(trx: Transaction<DB>, id: string): Promise<void> {
  await trx
    .updateTable('app_authorisations')
    .set({ last_access_at: new Date(), request_count: sql<string>`request_count + 1` })
    .where('id', '=', id)
    .execute();
}
