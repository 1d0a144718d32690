import { sql, type Insertable, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { AppScopesTable, AppsTable } from './apps.tables.ts';

export type AppRow = Selectable<AppsTable>;
export type AppScopeRow = Selectable<AppScopesTable>;

export async function insertApp(
  trx: Transaction<DB>,
  app: Omit<Insertable<AppsTable>, 'school_id'>,
  scopes: ReadonlyArray<{ scope: string; required: boolean; reason: string }>,
): Promise<AppRow> {
  const row = await trx.insertInto('apps').values(app).returningAll().executeTakeFirstOrThrow();
  await trx
    .insertInto('app_scopes')
    .values(scopes.map((scope) => ({ app_id: row.id, ...scope })))
    .execute();
  return row;
}

export async function findAppByClientId(trx: Transaction<DB>, clientId: string): Promise<AppRow | undefined> {
  return trx.selectFrom('apps').selectAll().where('client_id', '=', clientId).executeTakeFirst();
}

export async function findApp(trx: Transaction<DB>, appId: string): Promise<AppRow | undefined> {
  return trx.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirst();
}

export async function appsOfDeveloper(trx: Transaction<DB>, developerId: string): Promise<AppRow[]> {
  return trx.selectFrom('apps').selectAll().where('developer_id', '=', developerId).orderBy('name').execute();
}

export async function appsByIds(trx: Transaction<DB>, ids: readonly string[]): Promise<AppRow[]> {
  return ids.length === 0 ? [] : trx.selectFrom('apps').selectAll().where('id', 'in', ids).execute();
}

export async function scopesOf(trx: Transaction<DB>, appIds: readonly string[]): Promise<AppScopeRow[]> {
  return appIds.length === 0
    ? []
    : trx.selectFrom('app_scopes').selectAll().where('app_id', 'in', appIds).orderBy('scope').execute();
}

export async function setSecret(trx: Transaction<DB>, appId: string, hash: string): Promise<void> {
  await trx
    .updateTable('apps')
    .set({ client_secret_hash: hash, secret_rotated_at: new Date() })
    .where('id', '=', appId)
    .execute();
}

export async function setAppStatus(
  trx: Transaction<DB>,
  appId: string,
  status: 'active' | 'disabled',
): Promise<void> {
  await trx.updateTable('apps').set({ status }).where('id', '=', appId).execute();
}

export async function allApps(trx: Transaction<DB>): Promise<AppRow[]> {
  return trx.selectFrom('apps').selectAll().orderBy('created_at', 'desc').execute();
}

/** Per app: schools with an active authorisation, requests made, last request (counts only). */
export async function usageOf(
  trx: Transaction<DB>,
  appIds: readonly string[],
): Promise<Array<{ app_id: string; schools: string; requests: string; last_access_at: Date | null }>> {
  if (appIds.length === 0) {
    return [];
  }
  return trx
    .selectFrom('app_authorisations')
    .select((eb) => [
      'app_id',
      eb.fn.count<string>('school_id').distinct().as('schools'),
      sql<string>`coalesce(sum(request_count), 0)`.as('requests'),
      eb.fn.max('last_access_at').as('last_access_at'),
    ])
    .where('app_id', 'in', appIds)
    .where('status', '=', 'active')
    .groupBy('app_id')
    .execute();
}
