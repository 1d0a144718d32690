import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import {
  addDays,
  daysBetween,
  todayInEngland,
  type CalendarDate,
} from '../../platform/calendar/working-days.ts';
import type { Services } from '../../services.ts';
import { schoolAdminAddresses } from '../organisations/staff.service.ts';
import { privacyMail } from '../privacy/privacy-mail.ts';
import { certificateDigest, readSchoolRules, type SchoolRules } from './pupil-sweep.service.ts';
import * as repository from './retention.repository.ts';
import { eraseSchoolData } from './school-erasure.service.ts';
import * as standings from './school-status.repository.ts';
import type { RetentionCertificateBody } from './retention.tables.ts';
import {
  describePeriod,
  inactivityDeletionDay,
  inactivityWarnings,
  periodInForce,
  ruleById,
} from './rules.ts';

// The school-wide rules. A leaving school's data goes on its due day; an inactive school's goes the
// period after its last activity, but never before its administrators were warned a week ahead (a
// warning sent late moves the day, so nobody loses data without notice). A live school hold stops both.

export type SchoolRule = 'school_inactivity' | 'school_offboarding';

export interface SchoolPlan {
  schoolId: string;
  name: string;
  rule: SchoolRule;
  lastActivity: CalendarDate;
  /** When the data goes (for inactivity: after the warnings, at the earliest). */
  dueOn: CalendarDate;
  period: number;
  held: boolean;
  /** Warnings due by today that were not sent yet (inactivity). */
  warningsToSend: { stage: string; deletionDueOn: CalendarDate }[];
}

const WARNING_NOTICE_DAYS = 7;

async function inactivityPlan(
  trx: Transaction<DB>,
  standing: standings.SchoolStanding,
  period: number,
  today: CalendarDate,
): Promise<Pick<SchoolPlan, 'dueOn' | 'warningsToSend'>> {
  const ruleDue = inactivityDeletionDay(todayInEngland(standing.last_activity), period);
  const notice = { rule: 'school_inactivity' as const, deletionDueOn: ruleDue };
  const finalSent = await repository.noticeSent(trx, standing.id, { ...notice, stage: 'week_before' });
  const warningsToSend: SchoolPlan['warningsToSend'] = [];
  // Only the latest stage that has come is sent (a month-before warning is pointless a day before).
  const come = inactivityWarnings(ruleDue).filter((warning) => daysBetween(warning.on, today) >= 0);
  const latest = come.at(-1);
  if (
    latest !== undefined &&
    (await repository.noticeSent(trx, standing.id, { ...notice, ...latest })) === undefined
  ) {
    warningsToSend.push({ stage: latest.stage, deletionDueOn: ruleDue });
  }
  const warnedBy =
    finalSent !== undefined
      ? addDays(todayInEngland(finalSent), WARNING_NOTICE_DAYS)
      : addDays(today, WARNING_NOTICE_DAYS);
  const dueOn = daysBetween(ruleDue, warnedBy) > 0 ? warnedBy : ruleDue;
  return { dueOn, warningsToSend };
}

/**
 * Where one school stands (read in the given transaction, so a deletion can re-check it). `rules`, when
 * given, must have been read in the same transaction.
 */
export async function schoolPlan(
  trx: Transaction<DB>,
  standing: standings.SchoolStanding,
  today: CalendarDate,
  rules?: SchoolRules,
): Promise<SchoolPlan> {
  const { policies, live } = rules ?? (await readSchoolRules(trx, standing.id, today));
  const base = {
    schoolId: standing.id,
    name: standing.name,
    lastActivity: todayInEngland(standing.last_activity),
    held: live.school,
  };
  if (standing.status === 'leaving' && standing.deletion_due_on !== null) {
    const period = periodInForce(ruleById('school_offboarding'), policies.get('school_offboarding')) ?? 5;
    return {
      ...base,
      rule: 'school_offboarding',
      dueOn: standing.deletion_due_on,
      period,
      warningsToSend: [],
    };
  }
  const period = periodInForce(ruleById('school_inactivity'), policies.get('school_inactivity')) ?? 12;
  return {
    ...base,
    rule: 'school_inactivity',
    period,
    ...(await inactivityPlan(trx, standing, period, today)),
  };
}

/** Every school's plan (or one school's), each read under its own tenant context. */
export async function planSchools(
  services: Services,
  today: CalendarDate,
  schoolId?: string,
): Promise<SchoolPlan[]> {
  const all = await services.db.withPlatform('retention: school standings', (trx) =>
    standings.schoolStandings(trx, schoolId),
  );
  const plans: SchoolPlan[] = [];
  for (const standing of all) {
    plans.push(await services.db.withSchool(standing.id, (trx) => schoolPlan(trx, standing, today)));
  }
  return plans;
}

/** Sends the inactivity warnings a plan says are due, recording each (sent once per stage and date). */
export async function sendWarnings(services: Services, plan: SchoolPlan, sentAt: Date): Promise<number> {
  if (plan.warningsToSend.length === 0) {
    return 0;
  }
  const addresses = await schoolAdminAddresses(services, plan.schoolId);
  for (const warning of plan.warningsToSend) {
    // A warning sent late gives its full week: the deletion day moves, never the notice.
    const earliest = addDays(todayInEngland(sentAt), WARNING_NOTICE_DAYS);
    const deletionOn =
      warning.stage === 'week_before' && daysBetween(warning.deletionDueOn, earliest) > 0
        ? earliest
        : warning.deletionDueOn;
    await services.db.withSchool(plan.schoolId, async (trx) => {
      await repository.recordNotice(trx, plan.schoolId, { rule: 'school_inactivity', ...warning, sentAt });
      await recordAudit(trx, {
        orgId: plan.schoolId,
        actor: SYSTEM_ACTOR,
        action: 'retention.inactivity_warning_sent',
        details: { stage: warning.stage, deletionOn, recipients: addresses.length },
      });
    });
    for (const address of addresses) {
      services.mailer.queue(
        privacyMail(address, `Haven will delete ${plan.name}'s data on ${deletionOn}`, [
          `Nobody from ${plan.name} has signed in to Haven, imported data or used an app through it since ${plan.lastActivity}.`,
          `Haven promises to delete a school's personal data after ${describePeriod('months', plan.period)}, so all of ${plan.name}'s data in Haven (pupils, results, staff accounts used only there, requests and app authorisations) will be deleted on ${deletionOn} and cannot be recovered.`,
          `To keep it, sign in to Haven before then: ${services.publicUrl}/schools/${plan.schoolId}`,
        ]),
      );
    }
  }
  return plan.warningsToSend.length;
}

/** Deletes a due school's data, re-checking its standing and holds inside the deleting transaction. */
export async function eraseDueSchool(
  services: Services,
  plan: SchoolPlan,
  today: CalendarDate,
): Promise<boolean> {
  let erased = false;
  await eraseSchoolData(services, plan.schoolId, {
    reason: plan.rule,
    stillDue: async (trx) => {
      const [standing] = await standings.schoolStandings(trx, plan.schoolId);
      if (standing === undefined) {
        return false;
      }
      const now = await schoolPlan(trx, standing, today);
      return now.rule === plan.rule && !now.held && daysBetween(now.dueOn, today) >= 0;
    },
    certify: async (trx, deleted) => {
      erased = true;
      const rule = ruleById(plan.rule);
      const body: RetentionCertificateBody = {
        certificate: randomUUID(),
        school: { id: plan.schoolId, name: plan.name },
        rule: plan.rule,
        ruleDescription: rule.action,
        period: describePeriod(rule.unit, plan.period),
        appliedOn: today,
        categories: [rule.category],
        records: deleted,
        subjects: [],
        heldBack: 0,
        executedBy: 'haven',
        executedAt: new Date().toISOString(),
      };
      await repository.insertCertificate(trx, plan.schoolId, body, certificateDigest(body));
      await recordAudit(trx, {
        orgId: plan.schoolId,
        actor: SYSTEM_ACTOR,
        action: 'retention.certificate',
        target: `retention_certificate:${body.certificate}`,
        details: { rule: plan.rule, rows: Object.values(deleted).reduce((a, b) => a + b, 0) },
      });
    },
  });
  return erased;
}
