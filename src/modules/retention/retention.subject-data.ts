import type { SubjectDataSource } from '../privacy/subject-data.ts';
import * as holds from './holds.repository.ts';

// A legal hold on a pupil is data about them (why their record is kept past its deletion day): an
// access bundle includes it, and it goes with the pupil on erasure.

export const retentionSubjectData: SubjectDataSource = {
  module: 'retention',
  tables: ['legal_holds'],
  async export({ trx, vault, schoolId, pupilId }) {
    const rows = await holds.holdsOf(trx, schoolId, pupilId);
    return {
      legal_holds: await Promise.all(
        rows.map(async (row) => ({
          reason: await vault.decrypt({ table: 'legal_holds', column: 'reason', rowId: row.id }, row.reason),
          placed: row.placed_at.toISOString(),
          expiresOn: row.expires_on,
          released: row.released_at?.toISOString() ?? null,
        })),
      ),
    };
  },
};

/** Whether a live legal hold keeps this pupil (an erasure must wait until it is released or expires). */
export async function pupilUnderHold(
  trx: Parameters<typeof holds.liveHolds>[0],
  schoolId: string,
  pupilId: string,
  today: string,
): Promise<boolean> {
  const live = await holds.liveHolds(trx, schoolId, today);
  return live.school || live.pupils.has(pupilId);
}
