import { sql, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { CalendarDate } from '../../platform/calendar/working-days.ts';

// Each school's standing for the school-wide rules, read across schools (platform context): its last
// meaningful activity and where it is in leaving.

export interface SchoolStanding {
  id: string;
  name: string;
  status: 'active' | 'leaving' | 'left';
  leaving_requested_at: Date | null;
  deletion_due_on: CalendarDate | null;
  /** The latest of: created, a staff sign-in, an import, an app's request. */
  last_activity: Date;
}

/** Schools whose data has not been deleted (optionally one school), with their last activity. */
export async function schoolStandings(trx: Transaction<DB>, schoolId?: string): Promise<SchoolStanding[]> {
  const { rows } = await sql<SchoolStanding>`
    select s.id, s.name, s.status, s.leaving_requested_at, to_char(s.deletion_due_on, 'YYYY-MM-DD') as deletion_due_on,
      greatest(
        s.created_at,
        (select max(se.created_at) from sessions se join memberships m on m.user_id = se.user_id where m.org_id = s.id),
        (select max(i.created_at) from imports i where i.school_id = s.id),
        (select max(a.last_access_at) from app_authorisations a where a.school_id = s.id)
      ) as last_activity
    from schools s
    where s.deleted_at is null ${schoolId === undefined ? sql`` : sql`and s.id = ${schoolId}`}
    order by s.name, s.id
  `.execute(trx);
  return rows;
}

export async function markLeaving(
  trx: Transaction<DB>,
  schoolId: string,
  leaving: { by: string; dueOn: CalendarDate },
): Promise<boolean> {
  const result = await trx
    .updateTable('schools')
    .set({
      status: 'leaving',
      leaving_requested_at: new Date(),
      leaving_requested_by: leaving.by,
      deletion_due_on: leaving.dueOn,
      updated_at: new Date(),
    })
    .where('id', '=', schoolId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function cancelLeaving(trx: Transaction<DB>, schoolId: string): Promise<boolean> {
  const result = await trx
    .updateTable('schools')
    .set({
      status: 'active',
      leaving_requested_at: null,
      leaving_requested_by: null,
      deletion_due_on: null,
      updated_at: new Date(),
    })
    .where('id', '=', schoolId)
    .where('status', '=', 'leaving')
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
