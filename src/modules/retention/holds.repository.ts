import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { CalendarDate } from '../../platform/calendar/working-days.ts';

// Legal holds of a school: live while not released and not past their expiry day.

export interface HoldRow {
  id: string;
  pupil_id: string | null;
  reason: Buffer;
  placed_by: string;
  placed_at: Date;
  expires_on: CalendarDate | null;
  released_at: Date | null;
  released_by: string | null;
}

/** The school's holds, newest first (or one pupil's, for their access bundle). */
export async function holdsOf(trx: Transaction<DB>, schoolId: string, pupilId?: string): Promise<HoldRow[]> {
  let query = trx
    .selectFrom('legal_holds')
    .select([
      'id',
      'pupil_id',
      'reason',
      'placed_by',
      'placed_at',
      'expires_on',
      'released_at',
      'released_by',
    ])
    .where('school_id', '=', schoolId);
  if (pupilId !== undefined) {
    query = query.where('pupil_id', '=', pupilId);
  }
  return query.orderBy('placed_at', 'desc').execute();
}

/** What live holds cover on a day: the whole school, and which pupils. */
export async function liveHolds(
  trx: Transaction<DB>,
  schoolId: string,
  today: CalendarDate,
): Promise<{ school: boolean; pupils: Set<string> }> {
  const rows = await trx
    .selectFrom('legal_holds')
    .select('pupil_id')
    .where('school_id', '=', schoolId)
    .where('released_at', 'is', null)
    .where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', today)]))
    .execute();
  return {
    school: rows.some((row) => row.pupil_id === null),
    pupils: new Set(rows.flatMap((row) => (row.pupil_id === null ? [] : [row.pupil_id]))),
  };
}

export async function insertHold(
  trx: Transaction<DB>,
  schoolId: string,
  hold: {
    id: string;
    pupilId: string | null;
    reason: Buffer;
    placedBy: string;
    expiresOn: CalendarDate | null;
  },
): Promise<void> {
  await trx
    .insertInto('legal_holds')
    .values({
      school_id: schoolId,
      id: hold.id,
      pupil_id: hold.pupilId,
      reason: hold.reason,
      placed_by: hold.placedBy,
      expires_on: hold.expiresOn,
    })
    .execute();
}

/** Releases a live hold; false when there is no such live hold. */
export async function releaseHold(
  trx: Transaction<DB>,
  schoolId: string,
  holdId: string,
  by: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('legal_holds')
    .set({ released_at: new Date(), released_by: by })
    .where('school_id', '=', schoolId)
    .where('id', '=', holdId)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
