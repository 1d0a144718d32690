import type { Selectable, Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { DeveloperApplicationsTable } from './apps.tables.ts';

export type DeveloperApplicationRow = Selectable<DeveloperApplicationsTable>;

export async function insertApplication(
  trx: Transaction<DB>,
  row: { id: string; email: Buffer; organisation: string; reason: string },
): Promise<void> {
  await trx.insertInto('developer_applications').values(row).execute();
}

export async function listApplications(trx: Transaction<DB>): Promise<DeveloperApplicationRow[]> {
  return trx.selectFrom('developer_applications').selectAll().orderBy('created_at', 'desc').execute();
}

export async function decide(
  trx: Transaction<DB>,
  id: string,
  status: 'approved' | 'refused',
  by: string,
): Promise<void> {
  await trx
    .updateTable('developer_applications')
    .set({ status, decided_by: by, decided_at: new Date() })
    .where('id', '=', id)
    .execute();
}
