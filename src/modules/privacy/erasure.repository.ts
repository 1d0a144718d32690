import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { ErasureCertificateBody } from './requests.tables.ts';

// Erasure's reads and writes: counting what a pupil's erasure removes, deleting the pupil (every table
// holding their rows cascades from `pupils`), the deletions feed and the certificate.

/** Tables with rows about a pupil, and the column naming the pupil (all cascade from pupils.id). */
export const ERASED_TABLES: Readonly<Record<string, string>> = {
  pupils: 'id',
  prior_attainment: 'pupil_id',
  pupil_changes: 'pupil_id',
  pupil_group_members: 'pupil_id',
  results: 'pupil_id',
  class_members: 'pupil_id',
  processing_limits: 'pupil_id',
  legal_holds: 'pupil_id',
  blind_indexes: 'subject_id',
  subject_keys: 'subject_id',
};

/** How many rows each table holds about the pupil. */
export async function rowsAboutPupil(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [table, column] of Object.entries(ERASED_TABLES)) {
    // Table and column names come from the constant above, never from input.
    const { rows } = await sql<{ count: string | number | bigint }>`
      select count(*) as count from ${sql.table(table)}
      where school_id = ${schoolId} and ${sql.ref(column)} = ${pupilId}
    `.execute(trx);
    counts[table] = Number(rows[0]?.count ?? 0);
  }
  return counts;
}

/** Deletes the pupil; their results, KS2, history, memberships and limits go with them (cascade). */
export async function deletePupil(trx: Transaction<DB>, schoolId: string, pupilId: string): Promise<void> {
  await trx.deleteFrom('pupils').where('school_id', '=', schoolId).where('id', '=', pupilId).execute();
}

export async function recordRemoval(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
  reason: 'erased' | 'restricted',
): Promise<void> {
  await trx
    .insertInto('subject_removals')
    .values({ school_id: schoolId, pupil_id: pupilId, reason })
    .execute();
}

export function certificateDigest(body: ErasureCertificateBody): Buffer {
  return createHash('sha256').update(JSON.stringify(body)).digest();
}

export async function insertCertificate(
  trx: Transaction<DB>,
  row: { schoolId: string; id: string; requestId: string; subjectId: string; body: ErasureCertificateBody },
): Promise<void> {
  await trx
    .insertInto('erasure_certificates')
    .values({
      school_id: row.schoolId,
      id: row.id,
      request_id: row.requestId,
      subject_id: row.subjectId,
      body: JSON.stringify(row.body),
      digest: certificateDigest(row.body),
    })
    .execute();
}

export async function certificateById(
  trx: Transaction<DB>,
  schoolId: string,
  id: string,
): Promise<{ body: ErasureCertificateBody; digest: Buffer } | undefined> {
  return trx
    .selectFrom('erasure_certificates')
    .select(['body', 'digest'])
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function removalRecorded(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
): Promise<boolean> {
  const row = await trx
    .selectFrom('subject_removals')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('pupil_id', '=', pupilId)
    .where('reason', '=', 'erased')
    .executeTakeFirst();
  return row !== undefined;
}
