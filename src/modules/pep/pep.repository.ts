import type { Insertable, Selectable, Transaction, Updateable } from 'kysely';
import type { DB } from '../../database.ts';
import type { PepChildrenTable, PepDocumentsTable, PepState, ReminderStage } from './pep.tables.ts';

// The only place PEP tables are touched. Every method takes the transaction and the tenant id: the
// authority's (virtual school's) id, except `childrenLinkedTo`, which runs in a school's context.

export type ChildRow = Selectable<PepChildrenTable>;
export type DocumentRow = Selectable<PepDocumentsTable>;

export async function insertChild(trx: Transaction<DB>, row: Insertable<PepChildrenTable>): Promise<void> {
  await trx.insertInto('pep_children').values(row).execute();
}

export async function updateChild(
  trx: Transaction<DB>,
  authorityId: string,
  childId: string,
  changes: Updateable<PepChildrenTable>,
): Promise<void> {
  await trx
    .updateTable('pep_children')
    .set({ ...changes, updated_at: new Date() })
    .where('school_id', '=', authorityId)
    .where('id', '=', childId)
    .execute();
}

export async function childById(
  trx: Transaction<DB>,
  authorityId: string,
  childId: string,
): Promise<ChildRow | undefined> {
  return trx
    .selectFrom('pep_children')
    .selectAll()
    .where('school_id', '=', authorityId)
    .where('id', '=', childId)
    .executeTakeFirst();
}

/** The authority's children; narrowed to one social worker's or one school's when asked. */
export async function childrenOf(
  trx: Transaction<DB>,
  authorityId: string,
  only: { socialWorkerId?: string; linkedSchoolId?: string } = {},
): Promise<ChildRow[]> {
  let query = trx.selectFrom('pep_children').selectAll().where('school_id', '=', authorityId);
  if (only.socialWorkerId !== undefined) {
    query = query.where('social_worker_id', '=', only.socialWorkerId);
  }
  if (only.linkedSchoolId !== undefined) {
    query = query.where('linked_school_id', '=', only.linkedSchoolId).where('link_status', '=', 'agreed');
  }
  return query.orderBy('created_at').execute();
}

/**
 * In a school's context: the children linked (or asked to be linked) to the school, by authority. Row-level
 * security shows a school only these columns' worth: the identity stays under the authority's keys.
 */
export async function childrenLinkedTo(
  trx: Transaction<DB>,
  schoolId: string,
): Promise<Array<{ id: string; authorityId: string; linkStatus: 'requested' | 'agreed' }>> {
  const rows = await trx
    .selectFrom('pep_children')
    .select(['id', 'school_id', 'link_status'])
    .where('linked_school_id', '=', schoolId)
    .where('link_status', 'in', ['requested', 'agreed'])
    .execute();
  return rows.map((row) => ({
    id: row.id,
    authorityId: row.school_id,
    linkStatus: row.link_status === 'agreed' ? 'agreed' : 'requested',
  }));
}

export async function deleteChild(
  trx: Transaction<DB>,
  authorityId: string,
  childId: string,
): Promise<number> {
  const result = await trx
    .deleteFrom('pep_children')
    .where('school_id', '=', authorityId)
    .where('id', '=', childId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertDocument(
  trx: Transaction<DB>,
  row: Insertable<PepDocumentsTable>,
): Promise<void> {
  await trx.insertInto('pep_documents').values(row).execute();
}

export async function documentById(
  trx: Transaction<DB>,
  authorityId: string,
  documentId: string,
): Promise<DocumentRow | undefined> {
  return trx
    .selectFrom('pep_documents')
    .selectAll()
    .where('school_id', '=', authorityId)
    .where('id', '=', documentId)
    .executeTakeFirst();
}

/** A child's PEPs, newest term and version first. */
export async function documentsOfChild(
  trx: Transaction<DB>,
  authorityId: string,
  childId: string,
): Promise<DocumentRow[]> {
  return trx
    .selectFrom('pep_documents')
    .selectAll()
    .where('school_id', '=', authorityId)
    .where('child_id', '=', childId)
    .orderBy('term', 'desc')
    .orderBy('version', 'desc')
    .execute();
}

/** The latest version of each child's PEP for a term (dashboard figures need no decryption). */
export async function latestDocumentsForTerm(
  trx: Transaction<DB>,
  authorityId: string,
  term: string,
): Promise<
  Array<
    Pick<
      DocumentRow,
      | 'id'
      | 'child_id'
      | 'state'
      | 'qa_rating'
      | 'funding_requested_pence'
      | 'funding_approved_pence'
      | 'due_on'
      | 'kind'
    >
  >
> {
  return trx
    .selectFrom('pep_documents')
    .select([
      'id',
      'child_id',
      'state',
      'qa_rating',
      'funding_requested_pence',
      'funding_approved_pence',
      'due_on',
      'kind',
    ])
    .distinctOn('child_id')
    .where('school_id', '=', authorityId)
    .where('term', '=', term)
    .orderBy('child_id')
    .orderBy('version', 'desc')
    .execute();
}

export async function updateDocument(
  trx: Transaction<DB>,
  authorityId: string,
  documentId: string,
  changes: Updateable<PepDocumentsTable>,
): Promise<void> {
  await trx
    .updateTable('pep_documents')
    .set({ ...changes, updated_at: new Date() })
    .where('school_id', '=', authorityId)
    .where('id', '=', documentId)
    .execute();
}

/** Moves a PEP on only if it is still in the state the decision was made on (two people at once). */
export async function moveDocument(
  trx: Transaction<DB>,
  authorityId: string,
  documentId: string,
  from: PepState,
  changes: Updateable<PepDocumentsTable>,
): Promise<boolean> {
  const result = await trx
    .updateTable('pep_documents')
    .set({ ...changes, updated_at: new Date() })
    .where('school_id', '=', authorityId)
    .where('id', '=', documentId)
    .where('state', '=', from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertEvent(
  trx: Transaction<DB>,
  row: {
    school_id: string;
    id: string;
    document_id: string;
    action: string;
    actor_id: string;
    actor_role: string;
    comment: Buffer | null;
  },
): Promise<void> {
  await trx.insertInto('pep_events').values(row).execute();
}

export async function eventsOf(trx: Transaction<DB>, authorityId: string, documentId: string) {
  return trx
    .selectFrom('pep_events')
    .select(['id', 'action', 'actor_role', 'comment', 'at'])
    .where('school_id', '=', authorityId)
    .where('document_id', '=', documentId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export async function remindersSent(
  trx: Transaction<DB>,
  authorityId: string,
  term: string,
): Promise<Set<string>> {
  const rows = await trx
    .selectFrom('pep_reminders')
    .select(['child_id', 'stage'])
    .where('school_id', '=', authorityId)
    .where('term', '=', term)
    .execute();
  return new Set(rows.map((row) => `${row.child_id}/${row.stage}`));
}

export async function recordReminder(
  trx: Transaction<DB>,
  authorityId: string,
  childId: string,
  term: string,
  stage: ReminderStage,
): Promise<void> {
  await trx
    .insertInto('pep_reminders')
    .values({ school_id: authorityId, child_id: childId, term, stage })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}
