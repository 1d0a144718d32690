import { sql, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { CalendarDate } from '../../platform/calendar/working-days.ts';
import type { RetentionCertificateBody, RetentionRuleId } from './retention.tables.ts';

// The retention module's reads and writes of a school's data (under its tenant context) and of the
// platform's view of schools (under a platform context). Every method names the school it works on.

export async function schoolPolicies(
  trx: Transaction<DB>,
  schoolId: string,
): Promise<Map<RetentionRuleId, number>> {
  const rows = await trx
    .selectFrom('retention_policies')
    .select(['rule', 'period'])
    .where('school_id', '=', schoolId)
    .execute();
  return new Map(rows.map((row) => [row.rule, row.period]));
}

export async function setPolicy(
  trx: Transaction<DB>,
  schoolId: string,
  rule: RetentionRuleId,
  period: number | null,
  by: string,
): Promise<void> {
  if (period === null) {
    await trx
      .deleteFrom('retention_policies')
      .where('school_id', '=', schoolId)
      .where('rule', '=', rule)
      .execute();
    return;
  }
  await trx
    .insertInto('retention_policies')
    .values({ school_id: schoolId, rule, period, updated_by: by })
    .onConflict((oc) =>
      oc.columns(['school_id', 'rule']).doUpdateSet({ period, updated_by: by, updated_at: new Date() }),
    )
    .execute();
}

/** The tables holding rows about a pupil that go with them (by cascade), counted on certificates. */
const PUPIL_TABLES = [
  'results',
  'prior_attainment',
  'class_members',
  'pupil_group_members',
  'pupil_changes',
] as const;

/** A pupil who may have reached the age: born in or before the given month. */
export interface BirthCandidate {
  id: string;
  birth_year: number;
  birth_month: number;
  dob: Buffer | null;
}

export async function pupilsBornBy(
  trx: Transaction<DB>,
  schoolId: string,
  by: { year: number; month: number },
): Promise<BirthCandidate[]> {
  const { rows } = await sql<BirthCandidate>`
    select id, birth_year, birth_month, dob from pupils
    where school_id = ${schoolId} and birth_year is not null and birth_month is not null
      and (birth_year, birth_month) <= (${by.year}, ${by.month})
    order by id
  `.execute(trx);
  return rows;
}

export async function pupilsWithoutBirthDate(trx: Transaction<DB>, schoolId: string): Promise<number> {
  const row = await trx
    .selectFrom('pupils')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('school_id', '=', schoolId)
    .where((eb) => eb.or([eb('birth_year', 'is', null), eb('birth_month', 'is', null)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function leaversBy(
  trx: Transaction<DB>,
  schoolId: string,
  leftOnOrBefore: CalendarDate,
): Promise<{ id: string; leave_date: CalendarDate }[]> {
  const rows = await trx
    .selectFrom('pupils')
    .select(['id', 'leave_date'])
    .where('school_id', '=', schoolId)
    .where('leave_date', 'is not', null)
    .where('leave_date', '<=', leftOnOrBefore)
    .orderBy('id')
    .execute();
  return rows.flatMap((row) => (row.leave_date === null ? [] : [{ id: row.id, leave_date: row.leave_date }]));
}

/** Rows about these pupils in each table (the certificate's counts), before they are deleted. */
export async function rowsAboutPupils(
  trx: Transaction<DB>,
  schoolId: string,
  pupilIds: readonly string[],
): Promise<Record<string, number>> {
  // The five counts in one statement (one round trip a batch instead of five).
  const { rows } = await sql<Record<(typeof PUPIL_TABLES)[number], string>>`
    with batch as materialized (select unnest(${`{${pupilIds.join(',')}}`}::uuid[]) as id)
    select ${sql.join(
      PUPIL_TABLES.map(
        (table) =>
          sql`(select count(*) from ${sql.table(table)} where school_id = ${schoolId}
            and pupil_id in (select id from batch)) as ${sql.ref(table)}`,
      ),
    )}
  `.execute(trx);
  const row = rows[0];
  return Object.fromEntries(PUPIL_TABLES.map((table) => [table, Number(row?.[table] ?? 0)]));
}

/** Deletes the pupils still there (their results, KS2, history and memberships cascade); returns who went. */
export async function deletePupils(
  trx: Transaction<DB>,
  schoolId: string,
  pupilIds: readonly string[],
): Promise<string[]> {
  const rows = await trx
    .deleteFrom('pupils')
    .where('school_id', '=', schoolId)
    .where('id', 'in', pupilIds)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Tells apps (deletions feed) that these pupils are gone. */
export async function recordRemovals(
  trx: Transaction<DB>,
  schoolId: string,
  pupilIds: readonly string[],
): Promise<void> {
  if (pupilIds.length > 0) {
    await trx
      .insertInto('subject_removals')
      .values(pupilIds.map((id) => ({ school_id: schoolId, pupil_id: id, reason: 'erased' as const })))
      .execute();
  }
}

export async function insertCertificate(
  trx: Transaction<DB>,
  schoolId: string,
  body: RetentionCertificateBody,
  digest: Buffer,
): Promise<void> {
  await trx
    .insertInto('retention_certificates')
    .values({
      school_id: schoolId,
      id: body.certificate,
      rule: body.rule,
      body: JSON.stringify(body),
      digest,
    })
    .execute();
}

export async function certificates(
  trx: Transaction<DB>,
  schoolId: string,
  limit: number,
): Promise<{ id: string; body: RetentionCertificateBody; digest: Buffer; created_at: Date }[]> {
  return trx
    .selectFrom('retention_certificates')
    .select(['id', 'body', 'digest', 'created_at'])
    .where('school_id', '=', schoolId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function noticeSent(
  trx: Transaction<DB>,
  schoolId: string,
  notice: { rule: RetentionRuleId; stage: string; deletionDueOn: CalendarDate },
): Promise<Date | undefined> {
  const row = await trx
    .selectFrom('retention_notices')
    .select('sent_at')
    .where('school_id', '=', schoolId)
    .where('rule', '=', notice.rule)
    .where('stage', '=', notice.stage)
    .where('deletion_due_on', '=', notice.deletionDueOn)
    .executeTakeFirst();
  return row?.sent_at;
}

export async function recordNotice(
  trx: Transaction<DB>,
  schoolId: string,
  notice: { rule: RetentionRuleId; stage: string; deletionDueOn: CalendarDate; sentAt: Date },
): Promise<void> {
  await trx
    .insertInto('retention_notices')
    .values({
      school_id: schoolId,
      rule: notice.rule,
      stage: notice.stage,
      deletion_due_on: notice.deletionDueOn,
      sent_at: notice.sentAt,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function certificateById(
  trx: Transaction<DB>,
  schoolId: string,
  id: string,
): Promise<{ body: RetentionCertificateBody; digest: Buffer } | undefined> {
  return trx
    .selectFrom('retention_certificates')
    .select(['body', 'digest'])
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .executeTakeFirst();
}
