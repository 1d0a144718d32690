import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { DB } from '../../database.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import type {
  BreachesTable,
  BreachNoticesTable,
  BreachSchoolsTable,
  BreachUpdatesTable,
} from './breaches.tables.ts';

// The breach register's queries. The register (breaches, breach_schools, breach_updates) lives in the
// platform's tenant; each query names that tenant too, so it stays right inside a platform context
// (which sees every tenant). Notices live in each school's tenant and are always asked for by school.

export type BreachRow = Selectable<BreachesTable>;
export type BreachSchoolRow = Selectable<BreachSchoolsTable>;
export type BreachUpdateRow = Selectable<BreachUpdatesTable>;
export type NoticeRow = Selectable<BreachNoticesTable>;
type Trx = Transaction<DB>;

/** The next reference of the year, BR-2026-001 and so on (unique: a race fails on insert, not silently). */
export async function nextReference(trx: Trx, year: number): Promise<string> {
  const row = await trx
    .selectFrom('breaches')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('school_id', '=', PLATFORM_ORG_ID)
    .where('reference', 'like', `BR-${year}-%`)
    .executeTakeFirstOrThrow();
  return `BR-${year}-${String(Number(row.count) + 1).padStart(3, '0')}`;
}

export async function insertBreach(trx: Trx, row: Insertable<BreachesTable>): Promise<void> {
  await trx.insertInto('breaches').values(row).execute();
}

export async function insertBreachSchools(
  trx: Trx,
  rows: ReadonlyArray<Insertable<BreachSchoolsTable>>,
): Promise<void> {
  if (rows.length > 0) {
    await trx
      .insertInto('breach_schools')
      .values([...rows])
      .execute();
  }
}

export interface BreachListRow extends BreachRow {
  schools_affected: number;
  schools_notified: number;
}

/** Every breach, open ones first then newest, with how many schools it affects and how many were told. */
export async function listBreaches(trx: Trx): Promise<BreachListRow[]> {
  const rows = await trx
    .selectFrom('breaches')
    .selectAll('breaches')
    .select((eb) => [
      eb
        .selectFrom('breach_schools')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('breach_schools.breach_id', '=', 'breaches.id')
        .as('schools_affected'),
      eb
        .selectFrom('breach_schools')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('breach_schools.breach_id', '=', 'breaches.id')
        .where('breach_schools.notified_at', 'is not', null)
        .as('schools_notified'),
    ])
    .where('breaches.school_id', '=', PLATFORM_ORG_ID)
    .orderBy(sql`closed_at is not null`)
    .orderBy('aware_at', 'desc')
    .execute();
  return rows.map((row) => ({
    ...row,
    schools_affected: Number(row.schools_affected ?? 0),
    schools_notified: Number(row.schools_notified ?? 0),
  }));
}

export async function findBreach(trx: Trx, breachId: string): Promise<BreachRow | undefined> {
  return trx
    .selectFrom('breaches')
    .selectAll()
    .where('school_id', '=', PLATFORM_ORG_ID)
    .where('id', '=', breachId)
    .executeTakeFirst();
}

/** The breach, locked for a change (two operators acting at once are serialised). */
export async function lockBreach(trx: Trx, breachId: string): Promise<BreachRow | undefined> {
  return trx
    .selectFrom('breaches')
    .selectAll()
    .where('school_id', '=', PLATFORM_ORG_ID)
    .where('id', '=', breachId)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateBreach(
  trx: Trx,
  breachId: string,
  values: Updateable<BreachesTable>,
): Promise<void> {
  await trx
    .updateTable('breaches')
    .set({ ...values, updated_at: new Date() })
    .where('school_id', '=', PLATFORM_ORG_ID)
    .where('id', '=', breachId)
    .execute();
}

export async function schoolsOf(trx: Trx, breachId: string): Promise<BreachSchoolRow[]> {
  return trx
    .selectFrom('breach_schools')
    .selectAll()
    .where('school_id', '=', PLATFORM_ORG_ID)
    .where('breach_id', '=', breachId)
    .orderBy('affected_school_id')
    .execute();
}

export async function markNotified(trx: Trx, breachId: string, schoolId: string, at: Date): Promise<void> {
  await trx
    .updateTable('breach_schools')
    .set({ notified_at: at })
    .where('school_id', '=', PLATFORM_ORG_ID)
    .where('breach_id', '=', breachId)
    .where('affected_school_id', '=', schoolId)
    .where('notified_at', 'is', null)
    .execute();
}

export async function markAcknowledged(
  trx: Trx,
  breachId: string,
  schoolId: string,
  at: Date,
): Promise<void> {
  await trx
    .updateTable('breach_schools')
    .set({ acknowledged_at: at })
    .where('school_id', '=', PLATFORM_ORG_ID)
    .where('breach_id', '=', breachId)
    .where('affected_school_id', '=', schoolId)
    .where('acknowledged_at', 'is', null)
    .execute();
}

export async function insertUpdate(trx: Trx, row: Insertable<BreachUpdatesTable>): Promise<void> {
  await trx.insertInto('breach_updates').values(row).execute();
}

export async function updatesOf(trx: Trx, breachId: string): Promise<BreachUpdateRow[]> {
  return trx
    .selectFrom('breach_updates')
    .selectAll()
    .where('school_id', '=', PLATFORM_ORG_ID)
    .where('breach_id', '=', breachId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Open breaches with what the overdue alerts need. */
export async function openBreaches(trx: Trx): Promise<BreachListRow[]> {
  return (await listBreaches(trx)).filter((row) => row.closed_at === null);
}

/** Records that an alert stage was sent; false when it already was (each stage is sent once). */
export async function claimAlert(trx: Trx, breachId: string, stage: string, at: Date): Promise<boolean> {
  const claimed = await trx
    .updateTable('breaches')
    .set({ alerts: sql`alerts || jsonb_build_object(${stage}::text, ${at.toISOString()}::text)` })
    .where('school_id', '=', PLATFORM_ORG_ID)
    .where('id', '=', breachId)
    .where(sql<boolean>`not jsonb_exists(alerts, ${stage}::text)`)
    .returning('id')
    .executeTakeFirst();
  return claimed !== undefined;
}

export async function insertNotice(trx: Trx, row: Insertable<BreachNoticesTable>): Promise<void> {
  await trx.insertInto('breach_notices').values(row).execute();
}

/** A school's notices, newest first. */
export async function noticesOf(trx: Trx, schoolId: string): Promise<NoticeRow[]> {
  return trx
    .selectFrom('breach_notices')
    .selectAll()
    .where('school_id', '=', schoolId)
    .orderBy('sent_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Marks one of the school's notices acknowledged (once); undefined when the school has no such notice. */
export async function acknowledgeNotice(
  trx: Trx,
  schoolId: string,
  noticeId: string,
  userId: string,
  at: Date,
): Promise<{ notice: NoticeRow; changed: boolean } | undefined> {
  const notice = await trx
    .selectFrom('breach_notices')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('id', '=', noticeId)
    .forUpdate()
    .executeTakeFirst();
  if (notice === undefined || notice.acknowledged_at !== null) {
    return notice === undefined ? undefined : { notice, changed: false };
  }
  await trx
    .updateTable('breach_notices')
    .set({ acknowledged_at: at, acknowledged_by: userId })
    .where('school_id', '=', schoolId)
    .where('id', '=', noticeId)
    .execute();
  return { notice: { ...notice, acknowledged_at: at, acknowledged_by: userId }, changed: true };
}

/** A school's notices without their text (evidence of what it was sent and when), newest first. */
export async function noticeDates(trx: Trx, schoolId: string) {
  return trx
    .selectFrom('breach_notices')
    .select(['id', 'kind', 'reference', 'sent_at', 'acknowledged_at'])
    .where('school_id', '=', schoolId)
    .orderBy('sent_at', 'desc')
    .orderBy('id')
    .execute();
}

type Count = string | number | bigint;

/** The register in figures: breaches by status and ICO decision, and schools told against the target. */
export async function registerTally(trx: Trx, now: Date) {
  const breachCounts = await sql<Record<'total' | 'open' | 'ico_notified' | 'ico_not_notified', Count>>`
    select count(*) as total,
           count(*) filter (where closed_at is null) as open,
           count(*) filter (where ico_status = 'notified') as ico_notified,
           count(*) filter (where ico_status = 'not_notified') as ico_not_notified
    from breaches
    where school_id = ${PLATFORM_ORG_ID}
  `.execute(trx);
  const schoolCounts = await sql<Record<'on_time' | 'late' | 'waiting' | 'overdue', Count>>`
    select count(*) filter (where notified_at is not null and notified_at <= notify_by) as on_time,
           count(*) filter (where notified_at > notify_by) as late,
           count(*) filter (where notified_at is null and notify_by >= ${now}) as waiting,
           count(*) filter (where notified_at is null and notify_by < ${now}) as overdue
    from breach_schools
    where school_id = ${PLATFORM_ORG_ID}
  `.execute(trx);
  const b = breachCounts.rows[0];
  const s = schoolCounts.rows[0];
  return {
    total: Number(b?.total ?? 0),
    open: Number(b?.open ?? 0),
    icoNotified: Number(b?.ico_notified ?? 0),
    icoNotNotified: Number(b?.ico_not_notified ?? 0),
    schoolsToldOnTime: Number(s?.on_time ?? 0),
    schoolsToldLate: Number(s?.late ?? 0),
    schoolsWaiting: Number(s?.waiting ?? 0),
    schoolsOverdue: Number(s?.overdue ?? 0),
  };
}
