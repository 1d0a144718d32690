import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { DB } from '../../database.ts';
import type {
  PrivacyRequestEventsTable,
  PrivacyRequestsTable,
  ProcessingLimitsTable,
  RequestStatus,
} from './requests.tables.ts';

export type RequestRow = Selectable<PrivacyRequestsTable>;
export type RequestEventRow = Selectable<PrivacyRequestEventsTable>;

export const OPEN_STATUSES: readonly RequestStatus[] = ['open', 'paused', 'awaiting_approval', 'approved'];

export async function insertRequest(
  trx: Transaction<DB>,
  row: Insertable<PrivacyRequestsTable>,
): Promise<void> {
  await trx.insertInto('privacy_requests').values(row).execute();
}

/** The next reference in the school's register, e.g. DSR-2026-0007 (the row lock keeps numbers unique). */
export async function nextReference(trx: Transaction<DB>, schoolId: string, year: number): Promise<string> {
  const prefix = `DSR-${year}-`;
  // Serialises numbering within the school for the rest of the transaction.
  await sql`select pg_advisory_xact_lock(hashtext(${`privacy_requests:${schoolId}`}))`.execute(trx);
  const row = await trx
    .selectFrom('privacy_requests')
    .select((eb) => eb.fn.countAll<string | number | bigint>().as('count'))
    .where('school_id', '=', schoolId)
    .where('reference', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  return `${prefix}${String(Number(row.count) + 1).padStart(4, '0')}`;
}

export async function requestById(
  trx: Transaction<DB>,
  schoolId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<RequestRow | undefined> {
  let query = trx
    .selectFrom('privacy_requests')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('id', '=', id);
  if (options.forUpdate === true) {
    query = query.forUpdate();
  }
  return query.executeTakeFirst();
}

export interface RequestFilter {
  status?: 'open' | 'closed' | 'all';
  kind?: RequestRow['kind'] | undefined;
}

export async function listRequests(
  trx: Transaction<DB>,
  schoolId: string,
  filter: RequestFilter,
): Promise<RequestRow[]> {
  let query = trx.selectFrom('privacy_requests').selectAll().where('school_id', '=', schoolId);
  if (filter.status === 'open') {
    query = query.where('status', 'in', OPEN_STATUSES);
  } else if (filter.status === 'closed') {
    query = query.where('status', 'not in', OPEN_STATUSES);
  }
  if (filter.kind !== undefined) {
    query = query.where('kind', '=', filter.kind);
  }
  return query.orderBy('due_on').orderBy('reference').execute();
}

/** Open requests of every school whose deadline falls on or before `until` (for the reminder job). */
export async function openRequestsDueBy(
  trx: Transaction<DB>,
  schoolId: string,
  until: string,
): Promise<RequestRow[]> {
  return trx
    .selectFrom('privacy_requests')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('status', 'in', ['open', 'awaiting_approval', 'approved'])
    .where('due_on', '<=', until)
    .execute();
}

/** Schools with open requests due by `until`: the reminder job's list of tenants to visit. */
export async function schoolsWithRequestsDueBy(trx: Transaction<DB>, until: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('privacy_requests')
    .select('school_id')
    .distinct()
    .where('status', 'in', ['open', 'awaiting_approval', 'approved'])
    .where('due_on', '<=', until)
    .execute();
  return rows.map((row) => row.school_id);
}

export async function requestsAboutSubject(
  trx: Transaction<DB>,
  schoolId: string,
  subjectId: string,
): Promise<RequestRow[]> {
  return trx
    .selectFrom('privacy_requests')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('subject_id', '=', subjectId)
    .orderBy('received_on')
    .execute();
}

export async function updateRequest(
  trx: Transaction<DB>,
  schoolId: string,
  id: string,
  changes: Updateable<PrivacyRequestsTable>,
): Promise<void> {
  await trx
    .updateTable('privacy_requests')
    .set({ ...changes, updated_at: new Date() })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .execute();
}

export async function insertEvent(
  trx: Transaction<DB>,
  row: Omit<Insertable<PrivacyRequestEventsTable>, 'details'> & {
    details?: Record<string, string | number | boolean | null>;
  },
): Promise<void> {
  await trx
    .insertInto('privacy_request_events')
    .values({ ...row, details: JSON.stringify(row.details ?? {}) })
    .execute();
}

export async function eventsOf(
  trx: Transaction<DB>,
  schoolId: string,
  requestIds: readonly string[],
): Promise<RequestEventRow[]> {
  if (requestIds.length === 0) {
    return [];
  }
  return trx
    .selectFrom('privacy_request_events')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('request_id', 'in', requestIds)
    .orderBy('id')
    .execute();
}

/** Whether a reminder of this stage was already sent for the request (reminders are sent once). */
export async function reminderSent(
  trx: Transaction<DB>,
  schoolId: string,
  requestId: string,
  stage: string,
): Promise<boolean> {
  const row = await trx
    .selectFrom('privacy_request_events')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('request_id', '=', requestId)
    .where('kind', '=', 'reminder')
    .where(sql<boolean>`details->>'stage' = ${stage}`)
    .executeTakeFirst();
  return row !== undefined;
}

export async function certificateIdOf(
  trx: Transaction<DB>,
  schoolId: string,
  requestId: string,
): Promise<string | undefined> {
  const row = await trx
    .selectFrom('erasure_certificates')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  return row?.id;
}

export async function limitsOfPupil(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
): Promise<Array<Selectable<ProcessingLimitsTable>>> {
  return trx
    .selectFrom('processing_limits')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('pupil_id', '=', pupilId)
    .execute();
}

export async function insertLimit(
  trx: Transaction<DB>,
  row: Insertable<ProcessingLimitsTable>,
): Promise<void> {
  await trx
    .insertInto('processing_limits')
    .values(row)
    .onConflict((oc) => oc.columns(['pupil_id', 'kind', 'purpose']).doNothing())
    .execute();
}

export async function deleteLimit(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
  kind: ProcessingLimitsTable['kind'],
  purpose: ProcessingLimitsTable['purpose'],
): Promise<boolean> {
  const result = await trx
    .deleteFrom('processing_limits')
    .where('school_id', '=', schoolId)
    .where('pupil_id', '=', pupilId)
    .where('kind', '=', kind)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Pupils whose data may not be used for `use` (a restriction stops every use). */
export async function limitedPupils(
  trx: Transaction<DB>,
  schoolId: string,
  use: 'analysis' | 'apps' | 'imports',
): Promise<string[]> {
  let query = trx
    .selectFrom('processing_limits')
    .select('pupil_id')
    .distinct()
    .where('school_id', '=', schoolId);
  query =
    use === 'imports' ? query.where('kind', '=', 'restriction') : query.where('purpose', 'in', ['all', use]);
  return (await query.execute()).map((row) => row.pupil_id);
}

/** The request's latest event of one kind (its latest resume, its latest submission for approval). */
export async function latestEvent(
  trx: Transaction<DB>,
  schoolId: string,
  requestId: string,
  kind: string,
): Promise<RequestEventRow | undefined> {
  return trx
    .selectFrom('privacy_request_events')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('request_id', '=', requestId)
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/**
 * Clears the free text of every request about a pupil (the description, and the notes of their
 * history), which may name the child; returns how many texts were cleared.
 */
export async function clearRequestTextAbout(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
): Promise<number> {
  const described = await trx
    .updateTable('privacy_requests')
    .set({ description: null })
    .where('school_id', '=', schoolId)
    .where('subject_id', '=', pupilId)
    .where('description', 'is not', null)
    .executeTakeFirst();
  const noted = await trx
    .updateTable('privacy_request_events')
    .set({ note: null })
    .where('school_id', '=', schoolId)
    .where('note', 'is not', null)
    .where(
      'request_id',
      'in',
      trx
        .selectFrom('privacy_requests')
        .select('id')
        .where('school_id', '=', schoolId)
        .where('subject_id', '=', pupilId),
    )
    .executeTakeFirst();
  return Number(described.numUpdatedRows) + Number(noted.numUpdatedRows);
}
