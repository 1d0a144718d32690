import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { TermsResponse } from './terms.tables.ts';

// Terms versions (read by everyone, written by the platform) and each school's answer to them.

export interface VersionRow {
  id: string;
  version: string;
  summary: string;
  body: string;
  published_at: Date;
  effective_on: string;
}

const VERSION_COLUMNS = ['id', 'version', 'summary', 'body', 'published_at', 'effective_on'] as const;

export async function versions(trx: Transaction<DB>): Promise<VersionRow[]> {
  return trx.selectFrom('terms_versions').select(VERSION_COLUMNS).orderBy('effective_on', 'desc').execute();
}

export async function versionById(trx: Transaction<DB>, id: string): Promise<VersionRow | undefined> {
  return trx.selectFrom('terms_versions').select(VERSION_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function insertVersion(
  trx: Transaction<DB>,
  row: Omit<VersionRow, 'published_at'> & { published_by: string },
): Promise<void> {
  await trx.insertInto('terms_versions').values(row).execute();
}

export async function responsesOf(
  trx: Transaction<DB>,
  schoolId: string,
): Promise<Map<string, { response: TermsResponse; responded_at: Date }>> {
  const rows = await trx
    .selectFrom('terms_responses')
    .select(['version_id', 'response', 'responded_at'])
    .where('school_id', '=', schoolId)
    .execute();
  return new Map(
    rows.map((row) => [row.version_id, { response: row.response, responded_at: row.responded_at }]),
  );
}

/** Records a school's answer; false when it had answered this version already. */
export async function insertResponse(
  trx: Transaction<DB>,
  schoolId: string,
  answer: { versionId: string; response: TermsResponse; by: string },
): Promise<boolean> {
  const rows = await trx
    .insertInto('terms_responses')
    .values({
      school_id: schoolId,
      version_id: answer.versionId,
      response: answer.response,
      responded_by: answer.by,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('version_id')
    .execute();
  return rows.length > 0;
}

/** Answers per version across schools (the operator's view: counts only). */
export async function responseCounts(
  trx: Transaction<DB>,
): Promise<Map<string, { accepted: number; optedOut: number }>> {
  const rows = await trx
    .selectFrom('terms_responses')
    .select(['version_id', 'response', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(['version_id', 'response'])
    .execute();
  const counts = new Map<string, { accepted: number; optedOut: number }>();
  for (const row of rows) {
    const entry = counts.get(row.version_id) ?? { accepted: 0, optedOut: 0 };
    if (row.response === 'accepted') {
      entry.accepted = Number(row.n);
    } else {
      entry.optedOut = Number(row.n);
    }
    counts.set(row.version_id, entry);
  }
  return counts;
}
