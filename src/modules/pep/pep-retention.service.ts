import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import { isCalendarDate, type CalendarDate } from '../../platform/calendar/working-days.ts';
import type { Services } from '../../services.ts';
import { organisationDirectory } from '../organisations/organisations.service.ts';
import { erasePepChildRows } from './child-records.service.ts';
import { PepVault } from './pep-content.ts';
import * as repository from './pep.repository.ts';

// Haven's retention promise for a child's personal data — erased on their 25th birthday — holds for the
// children a virtual school looks after too: the nightly retention run calls this after the schools.
// A child with no readable date of birth (their key already destroyed) has nothing readable left.

export const PEP_RETENTION_YEARS = 25;

export interface PepRetentionReport {
  due: number;
  erased: number;
}

export async function sweepPepChildren(
  services: Services,
  today: CalendarDate,
  dryRun: boolean,
): Promise<PepRetentionReport> {
  const report: PepRetentionReport = { due: 0, erased: 0 };
  for (const authority of await organisationDirectory(services, 'local_authority')) {
    await services.db.withSchool(authority.id, async (trx) => {
      const vault = new PepVault(services, trx, authority.id);
      const due: string[] = [];
      for (const child of await repository.childrenOf(trx, authority.id)) {
        const { dob } = await vault.openChild(child);
        if (birthdayAt(dob, PEP_RETENTION_YEARS) <= today) {
          due.push(child.id);
        }
      }
      report.due += due.length;
      if (dryRun || due.length === 0) {
        return;
      }
      for (const childId of due) {
        report.erased += await erasePepChildRows(trx, authority.id, childId);
      }
      await services.keyring.destroySubjectKeys(trx, authority.id, due);
      await recordAudit(trx, {
        orgId: authority.id,
        actor: SYSTEM_ACTOR,
        action: 'pep.retention_erased',
        subjectIds: due,
        details: { rule: 'pupil_age', years: PEP_RETENTION_YEARS, children: due.length },
      });
    });
  }
  return report;
}

/** The birthday at an age; 29 February falls on 1 March in a common year (as for a school's pupils). */
function birthdayAt(dob: CalendarDate, years: number): CalendarDate {
  const year = Number(dob.slice(0, 4)) + years;
  const candidate = `${year}${dob.slice(4)}`;
  return isCalendarDate(candidate) ? candidate : `${year}-03-01`;
}
