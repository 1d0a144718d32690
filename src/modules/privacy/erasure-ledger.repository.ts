import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';

// The erasure ledger's school entries (whole schools shredded when they left or fell inactive). The
// keyring writes the ledger and reads its subject entries; the replay after a restore reads these too.

/** Schools the ledger records as erased as a whole: platform context (they span every tenant). */
export async function erasedSchools(trx: Transaction<DB>): Promise<string[]> {
  const rows = await trx
    .selectFrom('erasure_ledger')
    .select('school_id')
    .distinct()
    .where('scope', '=', 'school')
    .orderBy('school_id')
    .execute();
  return rows.map((row) => row.school_id);
}
