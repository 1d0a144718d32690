import { sql, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';

// Deleting all of a school's data: every table with a school_id column is found in the catalogue (so
// a table added by a later module is covered without anyone remembering to list it), ordered so that
// rows referring to others go first, and emptied of the school's rows. Only the evidence tables named
// by the service are left.

/** Tables with a school_id column, children before the tables they refer to. */
export async function tenantTablesInDeletionOrder(trx: Transaction<DB>): Promise<string[]> {
  const { rows: tables } = await sql<{ name: string }>`
    select c.table_name as name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.column_name = 'school_id' and c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name
  `.execute(trx);
  const { rows: edges } = await sql<{ child: string; parent: string }>`
    select cl.relname as child, pl.relname as parent from pg_constraint k
    join pg_class cl on cl.oid = k.conrelid join pg_class pl on pl.oid = k.confrelid
    join pg_namespace n on n.oid = cl.relnamespace
    where k.contype = 'f' and n.nspname = current_schema() and cl.relname <> pl.relname
  `.execute(trx);
  const names = new Set(tables.map((table) => table.name));
  const parentsOf = new Map<string, string[]>();
  for (const { child, parent } of edges) {
    if (names.has(child) && names.has(parent)) {
      parentsOf.set(parent, [...(parentsOf.get(parent) ?? []), child]);
    }
  }
  // Depth-first: a table is listed after every table that refers to it.
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (table: string): void => {
    if (seen.has(table)) {
      return;
    }
    seen.add(table);
    for (const child of parentsOf.get(table) ?? []) {
      visit(child);
    }
    ordered.push(table);
  };
  for (const table of names) {
    visit(table);
  }
  return ordered;
}

/**
 * Deletes the school's rows from one table (the name comes from the catalogue, never from input). Tables
 * of the platform's own tenant never hold a school's id and may not grant deletion: they are only read.
 */
export async function deleteSchoolRows(
  trx: Transaction<DB>,
  table: string,
  schoolId: string,
): Promise<number> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (select 1 from ${sql.table(table)} where school_id = ${schoolId}) as found
  `.execute(trx);
  if (rows[0]?.found !== true) {
    return 0;
  }
  const result = await sql`delete from ${sql.table(table)} where school_id = ${schoolId}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Ends the school's memberships; returns the people who now belong to no organisation at all. */
export async function endMemberships(trx: Transaction<DB>, schoolId: string): Promise<string[]> {
  const members = await trx
    .deleteFrom('memberships')
    .where('org_id', '=', schoolId)
    .returning('user_id')
    .execute();
  const userIds = [...new Set(members.map((row) => row.user_id))];
  if (userIds.length === 0) {
    return [];
  }
  const stillMembers = await trx
    .selectFrom('memberships')
    .select('user_id')
    .distinct()
    .where('user_id', 'in', userIds)
    .execute();
  const kept = new Set(stillMembers.map((row) => row.user_id));
  return userIds.filter((id) => !kept.has(id));
}

/** Ends the school's support grants (they live in the platform's tenant, keyed by the school). */
export async function endSupportGrants(trx: Transaction<DB>, schoolId: string): Promise<number> {
  const result = await trx.deleteFrom('support_grants').where('org_id', '=', schoolId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes staff accounts (their sessions, recovery codes and links go with them). */
export async function deleteUsers(trx: Transaction<DB>, userIds: readonly string[]): Promise<number> {
  if (userIds.length === 0) {
    return 0;
  }
  const result = await trx.deleteFrom('users').where('id', 'in', userIds).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function schoolKeysLeft(trx: Transaction<DB>, schoolId: string): Promise<number> {
  const row = await trx
    .selectFrom('school_keys')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('school_id', '=', schoolId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markSchoolDeleted(trx: Transaction<DB>, schoolId: string): Promise<void> {
  await trx
    .updateTable('schools')
    .set({ status: 'left', deleted_at: new Date(), updated_at: new Date() })
    .where('id', '=', schoolId)
    .where('deleted_at', 'is', null)
    .execute();
}
