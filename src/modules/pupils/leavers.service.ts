import type { PupilWriteContext } from './pupils.service.ts';
import * as pupils from './pupils.repository.ts';

/**
 * Marks pupils as having left on `leaveDate` (a sync's full extract no longer lists them): the leave
 * date starts their retention clock and tells apps through the leavers list, and nothing is deleted.
 * Pupils who already have a leave date are left alone. Each change is recorded in pupil_changes.
 */
export async function markLeavers(
  context: Omit<PupilWriteContext, 'vault'>,
  pupilIds: readonly string[],
  leaveDate: string,
): Promise<string[]> {
  const { trx, schoolId, importId, changedBy } = context;
  const left = await pupils.setLeaveDate(trx, schoolId, pupilIds, leaveDate, importId);
  const now = new Date();
  await pupils.insertChanges(
    trx,
    left.map((pupilId) => ({
      school_id: schoolId,
      pupil_id: pupilId,
      field: 'leave_date',
      old_value: null,
      new_value: leaveDate,
      import_id: importId,
      changed_by: changedBy,
      changed_at: now,
    })),
  );
  return left;
}
