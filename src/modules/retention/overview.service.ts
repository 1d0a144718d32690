import { recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import { badRequest, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import * as repository from './retention.repository.ts';
import type { RetentionCertificateBody, RetentionRuleId } from './retention.tables.ts';
import { schoolOutlook, type Outlook } from './retention.service.ts';
import {
  describePeriod,
  periodInForce,
  periodProblem,
  RULES,
  ruleById,
  type RetentionRule,
} from './rules.ts';
import * as standings from './school-status.repository.ts';
import type { Leaving } from './leaving.service.ts';

// What a school's retention page shows: the rules with the school's own periods, where it stands
// (leaving, inactivity), what goes in the coming weeks and why, and the certificates of what went.

export interface RuleView extends RetentionRule {
  schoolPeriod: number | null;
  inForce: number | null;
  inForceText: string;
}

export interface CertificateSummary {
  id: string;
  rule: RetentionRuleId;
  appliedOn: string;
  records: number;
  subjects: number;
  createdAt: string;
}

export interface RetentionOverview extends Omit<Outlook, 'school'> {
  rules: RuleView[];
  leaving: Leaving;
  school: { rule: Outlook['school']['rule']; lastActivity: string; dueOn: string; held: boolean };
  certificates: CertificateSummary[];
}

function ruleViews(policies: Map<RetentionRuleId, number>): RuleView[] {
  return RULES.map((rule) => {
    const inForce = periodInForce(rule, policies.get(rule.id));
    return {
      ...rule,
      schoolPeriod: policies.get(rule.id) ?? null,
      inForce,
      inForceText: inForce === null ? 'Off (the school may turn it on)' : describePeriod(rule.unit, inForce),
    };
  });
}

export async function schoolRules(services: Services, schoolId: string): Promise<RuleView[]> {
  return ruleViews(await services.db.withSchool(schoolId, (trx) => repository.schoolPolicies(trx, schoolId)));
}

export async function retentionOverview(
  services: Services,
  schoolId: string,
  days: number,
  by: Actor,
  requestId: string,
): Promise<RetentionOverview> {
  const outlook = await schoolOutlook(services, schoolId, days);
  const [standing] = await services.db.withPlatform('retention: school standing', (platform) =>
    standings.schoolStandings(platform, schoolId),
  );
  return services.db.withSchool(schoolId, async (trx) => {
    const certificates = await repository.certificates(trx, schoolId, 50);
    await recordAudit(trx, {
      orgId: schoolId,
      actor: by,
      action: 'retention.outlook_read',
      subjectIds: outlook.pupils.map((pupil) => pupil.pupilId),
      requestId,
    });
    return {
      ...outlook,
      rules: ruleViews(await repository.schoolPolicies(trx, schoolId)),
      leaving: {
        status: standing?.status ?? 'left',
        requestedAt: standing?.leaving_requested_at?.toISOString() ?? null,
        deletionDueOn: standing?.deletion_due_on ?? null,
        appsRevoked: 0,
      },
      school: {
        rule: outlook.school.rule,
        lastActivity: outlook.school.lastActivity,
        dueOn: outlook.school.dueOn,
        held: outlook.school.held,
      },
      certificates: certificates.map((row) => ({
        id: row.id,
        rule: row.body.rule,
        appliedOn: row.body.appliedOn,
        records: Object.values(row.body.records).reduce((sum, n) => sum + n, 0),
        subjects: row.body.subjects.length,
        createdAt: row.created_at.toISOString(),
      })),
    };
  });
}

/** Sets (or, with null, removes) the school's own period for a rule: shorter only. */
export async function setSchoolPolicy(
  services: Services,
  schoolId: string,
  ruleId: RetentionRuleId,
  period: number | null,
  by: Actor,
  requestId: string,
): Promise<RuleView[]> {
  const rule = ruleById(ruleId);
  const problem = period === null ? undefined : periodProblem(rule, period);
  if (problem !== undefined) {
    throw badRequest(`The period for this rule ${problem}.`, [{ field: 'body.period', message: problem }]);
  }
  return services.db.withSchool(schoolId, async (trx) => {
    await repository.setPolicy(trx, schoolId, ruleId, period, by.id);
    await recordAudit(trx, {
      orgId: schoolId,
      actor: by,
      action: 'retention.policy_set',
      requestId,
      details: { rule: ruleId, period: period ?? 'default' },
    });
    return ruleViews(await repository.schoolPolicies(trx, schoolId));
  });
}

export async function readRetentionCertificate(
  services: Services,
  schoolId: string,
  certificateId: string,
  by: Actor,
  requestId: string,
): Promise<RetentionCertificateBody & { digest: string }> {
  return services.db.withSchool(schoolId, async (trx) => {
    const found = await repository.certificateById(trx, schoolId, certificateId);
    if (found === undefined) {
      throw notFound('That certificate');
    }
    await recordAudit(trx, {
      orgId: schoolId,
      actor: by,
      action: 'retention.certificate_read',
      target: `retention_certificate:${certificateId}`,
      requestId,
    });
    return { ...found.body, digest: found.digest.toString('hex') };
  });
}
