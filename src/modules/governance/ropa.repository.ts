import { sql, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { CategoryTable } from './ropa.categories.ts';

// The record of processing reads counts, never values: how many of a school's rows hold something in
// each column. One visible query per table, filtered by school as well as by row-level security.

type Trx = Transaction<DB>;

/** Rows of `table` for the school (`rows`) and, per column, how many hold a value (`count(column)`). */
export async function columnCounts(
  trx: Trx,
  schoolId: string,
  table: CategoryTable | 'import_uploads',
  columns: readonly string[],
): Promise<Record<string, number>> {
  const counted = columns.map((column) => sql`count(${sql.ref(column)}) as ${sql.ref(column)}`);
  const result = await sql<Record<string, string | number | bigint>>`
    select ${sql.join([sql`count(*) as rows`, ...counted])}
    from ${sql.table(table)}
    where school_id = ${schoolId}
  `.execute(trx);
  const row = result.rows[0] ?? {};
  // count() is int8: a string from pg, a bigint from PGlite.
  return Object.fromEntries(Object.entries(row).map(([name, value]) => [name, Number(value)]));
}
