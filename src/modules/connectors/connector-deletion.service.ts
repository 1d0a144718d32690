import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import {
  daysBetween,
  todayInEngland,
  workingDaysBetween,
  type CalendarDate,
} from '../../platform/calendar/working-days.ts';
import type { Services } from '../../services.ts';
import { getSchool } from '../organisations/organisations.service.ts';
import { erasePupilBatch } from '../retention/pupil-sweep.service.ts';
import * as repository from './connectors.repository.ts';

// After a connector's deletion day the pupils it synced are erased through retention's own path
// (rows deleted, keys destroyed, a certificate written, apps told through the deletions feed; a live
// legal hold keeps a pupil). The connector is then marked deleted; its sync history stays (counts
// and row numbers only).

const BATCH = 500;

/** Erases the pupils of one removed connector whose deletion day has come; returns how many went. */
export async function eraseRemovedConnector(
  services: Services,
  connector: {
    school_id: string;
    id: string;
    deletion_due_on: CalendarDate | null;
    disconnected_at: Date | null;
  },
  today: CalendarDate,
): Promise<number> {
  const due = connector.deletion_due_on;
  if (due === null || daysBetween(due, today) < 0) {
    return 0;
  }
  const schoolId = connector.school_id;
  const school = await getSchool(services, schoolId);
  // Re-checked inside the school's context: a reconnection since the platform read wins.
  const pupilIds = await services.db.withSchool(schoolId, async (trx) => {
    const row = await repository.connectorOf(trx, schoolId);
    return row?.id === connector.id && row.status === 'disconnected'
      ? repository.connectorPupilIds(trx, schoolId, connector.id)
      : undefined;
  });
  if (pupilIds === undefined) {
    return 0;
  }
  const period = workingDaysBetween(todayInEngland(connector.disconnected_at ?? new Date()), due);
  let erased = 0;
  for (let start = 0; start < pupilIds.length; start += BATCH) {
    const batch = pupilIds.slice(start, start + BATCH);
    erased += (
      await erasePupilBatch(services, school, { rule: 'school_offboarding', period, pupilIds: batch, today })
    ).length;
  }
  await services.db.withSchool(schoolId, async (trx) => {
    const left = await repository.connectorPupilIds(trx, schoolId, connector.id);
    if (left.length > 0) {
      return;
    }
    await repository.updateConnector(trx, schoolId, connector.id, { status: 'deleted' });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: SYSTEM_ACTOR,
      action: 'connectors.data_deleted',
      target: `connector:${connector.id}`,
      details: { pupils: String(erased), deletionDueOn: due },
    });
  });
  return erased;
}
