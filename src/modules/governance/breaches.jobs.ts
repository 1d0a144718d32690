import { PLATFORM_ORG_ID, recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import type { JobDefinition, JobOutcome } from '../../platform/jobs/job-runner.ts';
import type { Services } from '../../services.ts';
import { withIdentity } from '../organisations/identity.ts';
import { schoolStaffHolding } from '../organisations/staff.service.ts';
import { privacyMail } from '../privacy/privacy-mail.ts';
import {
  countdownWords,
  formatLondon,
  icoDeadline,
  ICO_WARNING_HOURS,
  schoolNoticeTarget,
} from './breach-clock.ts';
import * as breaches from './breaches.repository.ts';

// Overdue alerts to the platform operators: when a breach's schools are not all told by Haven's internal
// target, when the ICO's 72 hours are near (12 hours left) and when they are past, without the ICO
// decision recorded. Each stage is sent once per breach (recorded in the breach after sending: a failed
// send is tried again on the next run). The e-mail names the breach by reference only.

export type AlertStage = 'schools_overdue' | 'ico_warning' | 'ico_overdue';

interface Alert {
  breachId: string;
  reference: string;
  stage: AlertStage;
  /** Stages this one makes pointless (a warning after the deadline passed). */
  supersedes: AlertStage[];
  text: string;
}

/** Which alert stages a breach has reached at `now` (pure: the caller skips those already sent). */
export function stagesDue(
  breach: { awareAt: Date; icoPending: boolean; schoolsUntold: number },
  now: Date,
): AlertStage[] {
  const stages: AlertStage[] = [];
  if (breach.schoolsUntold > 0 && now >= schoolNoticeTarget(breach.awareAt)) {
    stages.push('schools_overdue');
  }
  const deadline = icoDeadline(breach.awareAt);
  if (breach.icoPending && now >= deadline) {
    stages.push('ico_overdue');
  } else if (breach.icoPending && deadline.getTime() - now.getTime() <= ICO_WARNING_HOURS * 3_600_000) {
    stages.push('ico_warning');
  }
  return stages;
}

function wording(stage: AlertStage, row: breaches.BreachListRow, now: Date): string {
  const deadline = icoDeadline(row.aware_at);
  if (stage === 'schools_overdue') {
    const untold = row.schools_affected - row.schools_notified;
    return `Breach ${row.reference}: ${untold} affected school(s) not yet sent the notice, past Haven’s target of ${formatLondon(schoolNoticeTarget(row.aware_at))}. Send it now.`;
  }
  return stage === 'ico_overdue'
    ? `Breach ${row.reference}: the 72 hours ended on ${formatLondon(deadline)} (${countdownWords(deadline, now)}) and no ICO decision is recorded. Record whether the ICO was told, or why not.`
    : `Breach ${row.reference}: the 72 hours end on ${formatLondon(deadline)} (${countdownWords(deadline, now)}) and no ICO decision is recorded yet.`;
}

async function alertsDue(services: Services, now: Date): Promise<Alert[]> {
  const rows = await withIdentity(services, (trx) => breaches.openBreaches(trx));
  return rows.flatMap((row) =>
    stagesDue(
      {
        awareAt: row.aware_at,
        icoPending: row.ico_status === 'pending',
        schoolsUntold: row.schools_affected - row.schools_notified,
      },
      now,
    )
      .filter((stage) => row.alerts[stage] === undefined)
      .map((stage) => ({
        breachId: row.id,
        reference: row.reference,
        stage,
        supersedes: stage === 'ico_overdue' ? (['ico_warning'] as AlertStage[]) : [],
        text: wording(stage, row, now),
      })),
  );
}

/** Sends the alerts due (each stage once per breach); `now` is for tests. */
export async function sendBreachAlerts(services: Services, now = new Date()): Promise<JobOutcome> {
  const due = await alertsDue(services, now);
  if (due.length === 0) {
    return { alerts: 0 };
  }
  const operators = await schoolStaffHolding(services, PLATFORM_ORG_ID, 'platform.operate');
  let sent = 0;
  for (const alert of due) {
    const link = `${services.publicUrl}/platform/breaches/${alert.breachId}`;
    for (const operator of operators) {
      await services.mailer.send(
        privacyMail(operator.email, `Breach ${alert.reference}: action needed`, [
          alert.text,
          `Open the breach: ${link}`,
        ]),
      );
    }
    await withIdentity(services, async (trx) => {
      if (!(await breaches.claimAlert(trx, alert.breachId, alert.stage, now))) {
        return;
      }
      for (const stage of alert.supersedes) {
        await breaches.claimAlert(trx, alert.breachId, stage, now);
      }
      await recordAudit(trx, {
        orgId: PLATFORM_ORG_ID,
        actor: SYSTEM_ACTOR,
        action: 'breaches.alert_sent',
        target: `breach:${alert.breachId}`,
        details: { stage: alert.stage, operators: operators.length },
      });
      sent += 1;
    });
  }
  return { alerts: sent };
}

/** Every 15 minutes: the 72 hours leave no room for a daily job. */
export function breachAlertsJob(services: Services): JobDefinition {
  return {
    name: 'breach-alerts',
    schedule: '*/15 * * * *',
    leaseMinutes: 10,
    catchUpAfterHours: 1,
    run: () => sendBreachAlerts(services),
  };
}
