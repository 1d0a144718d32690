import { createHash, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import { addDays, daysBetween, type CalendarDate } from '../../platform/calendar/working-days.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import type { Services } from '../../services.ts';
import * as holds from './holds.repository.ts';
import * as repository from './retention.repository.ts';
import type { RetentionCertificateBody, RetentionRuleId } from './retention.tables.ts';
import {
  birthdayAtAge,
  birthMonthAtAge,
  birthMonthReachingAge,
  describePeriod,
  leaverDeletionDay,
  periodInForce,
  ruleById,
} from './rules.ts';

// The pupil rules of one school: who reaches the age (from the encrypted exact date of birth, decrypted
// only for pupils born in the months at the edge; everyone born earlier has certainly reached it) and,
// where the school turned it on, who left long enough ago. Deletion runs in batches, each one
// transaction that re-checks the holds, deletes, shreds the keys, tells apps and writes its certificate.

export interface PupilDue {
  pupilId: string;
  rule: RetentionRuleId;
  dueOn: CalendarDate;
  held: boolean;
}

export interface PupilPlan {
  due: PupilDue[];
  /** Pupils with no month and year of birth, whom the age rule cannot reach. */
  withoutBirthDate: number;
}

function monthIndex(year: number, month: number): number {
  return year * 12 + month;
}

/** The age rule: pupils whose birthday at the age falls on or before `until`. */
async function reachingAge(
  trx: Transaction<DB>,
  services: Services,
  schoolId: string,
  age: number,
  today: CalendarDate,
  until: CalendarDate,
): Promise<{ pupilId: string; dueOn: CalendarDate }[]> {
  const certain = birthMonthReachingAge(today, age);
  const edge = birthMonthReachingAge(until, age);
  const candidates = await repository.pupilsBornBy(trx, schoolId, edge);
  const toCheck = candidates.filter(
    (pupil) =>
      pupil.dob !== null &&
      monthIndex(pupil.birth_year, pupil.birth_month) >= monthIndex(certain.year, certain.month),
  );
  const vault = new SchoolVault(services.keyring, trx, schoolId);
  await vault.preloadSubjects(toCheck.map((pupil) => pupil.id));
  const checked = new Set(toCheck.map((pupil) => pupil.id));
  const found: { pupilId: string; dueOn: CalendarDate }[] = [];
  for (const pupil of candidates) {
    const dueOn =
      checked.has(pupil.id) && pupil.dob !== null
        ? birthdayAtAge(
            await vault.decrypt({ table: 'pupils', column: 'dob', rowId: pupil.id }, pupil.dob),
            age,
          )
        : birthMonthAtAge(pupil.birth_year, pupil.birth_month, age);
    if (daysBetween(dueOn, until) >= 0) {
      found.push({ pupilId: pupil.id, dueOn });
    }
  }
  if (toCheck.length > 0) {
    // A job reading dates of birth is a use of the pupils' keys: audited, by pseudonymous id.
    await recordAudit(trx, {
      orgId: schoolId,
      actor: SYSTEM_ACTOR,
      action: 'retention.birth_dates_checked',
      subjectIds: toCheck.map((pupil) => pupil.id),
      details: { rule: 'pupil_age' },
    });
  }
  return found;
}

/** The leaver rule (off unless the school set it): pupils who left the given years before `until`. */
async function leaversDue(
  trx: Transaction<DB>,
  schoolId: string,
  years: number,
  until: CalendarDate,
): Promise<{ pupilId: string; dueOn: CalendarDate }[]> {
  // A few days' slack for month ends (29 February + 1 year); the exact day is checked below.
  const leavers = await repository.leaversBy(trx, schoolId, addDays(leaverDeletionDay(until, -years), 3));
  return leavers
    .map((leaver) => ({ pupilId: leaver.id, dueOn: leaverDeletionDay(leaver.leave_date, years) }))
    .filter((leaver) => daysBetween(leaver.dueOn, until) >= 0);
}

/** A school's own periods and live holds, read once in a transaction and shared by its planning steps. */
export interface SchoolRules {
  policies: Map<RetentionRuleId, number>;
  live: { school: boolean; pupils: Set<string> };
}

export async function readSchoolRules(
  trx: Transaction<DB>,
  schoolId: string,
  today: CalendarDate,
): Promise<SchoolRules> {
  return {
    policies: await repository.schoolPolicies(trx, schoolId),
    live: await holds.liveHolds(trx, schoolId, today),
  };
}

/**
 * Who is due (by `until`: today for a sweep, later for a look ahead), under which rule, and who is held.
 * `rules`, when given, must have been read in the same transaction (a sweep reads them once per school).
 */
export async function planPupils(
  services: Services,
  trx: Transaction<DB>,
  schoolId: string,
  today: CalendarDate,
  until: CalendarDate = today,
  rules?: SchoolRules,
): Promise<PupilPlan> {
  const { policies, live } = rules ?? (await readSchoolRules(trx, schoolId, today));
  const due = new Map<string, PupilDue>();
  const add = (rule: RetentionRuleId, found: { pupilId: string; dueOn: CalendarDate }[]): void => {
    for (const { pupilId, dueOn } of found) {
      const earlier = due.get(pupilId);
      if (earlier === undefined || daysBetween(dueOn, earlier.dueOn) > 0) {
        due.set(pupilId, { pupilId, rule, dueOn, held: live.school || live.pupils.has(pupilId) });
      }
    }
  };
  const age = periodInForce(ruleById('pupil_age'), policies.get('pupil_age'));
  if (age !== null) {
    add('pupil_age', await reachingAge(trx, services, schoolId, age, today, until));
  }
  const years = periodInForce(ruleById('leaver_years'), policies.get('leaver_years'));
  if (years !== null) {
    add('leaver_years', await leaversDue(trx, schoolId, years, until));
  }
  return {
    due: [...due.values()].sort(
      (a, b) => a.dueOn.localeCompare(b.dueOn) || a.pupilId.localeCompare(b.pupilId),
    ),
    withoutBirthDate: await repository.pupilsWithoutBirthDate(trx, schoolId),
  };
}

export function certificateDigest(body: RetentionCertificateBody): Buffer {
  return createHash('sha256').update(JSON.stringify(body)).digest();
}

/**
 * Deletes one batch of due pupils under one rule, re-checking holds inside the transaction (a hold
 * placed since the plan wins), and writes the batch's certificate. Returns the pupils deleted.
 */
export async function erasePupilBatch(
  services: Services,
  school: { id: string; name: string },
  batch: { rule: RetentionRuleId; period: number; pupilIds: string[]; today: CalendarDate },
): Promise<string[]> {
  return services.db.withSchool(school.id, async (trx) => {
    const live = await holds.liveHolds(trx, school.id, batch.today);
    if (live.school) {
      return [];
    }
    const free = batch.pupilIds.filter((id) => !live.pupils.has(id));
    if (free.length === 0) {
      return [];
    }
    const records = await repository.rowsAboutPupils(trx, school.id, free);
    const deleted = await repository.deletePupils(trx, school.id, free);
    if (deleted.length === 0) {
      return [];
    }
    await services.keyring.destroySubjectKeys(trx, school.id, deleted);
    await repository.recordRemovals(trx, school.id, deleted);
    const rule = ruleById(batch.rule);
    const body: RetentionCertificateBody = {
      certificate: randomUUID(),
      school: { id: school.id, name: school.name },
      rule: batch.rule,
      ruleDescription: rule.action,
      period: describePeriod(rule.unit, batch.period),
      appliedOn: batch.today,
      categories: [rule.category],
      records: { pupils: deleted.length, ...records },
      subjects: deleted,
      heldBack: batch.pupilIds.length - free.length,
      executedBy: 'haven',
      executedAt: new Date().toISOString(),
    };
    await repository.insertCertificate(trx, school.id, body, certificateDigest(body));
    await recordAudit(trx, {
      orgId: school.id,
      actor: SYSTEM_ACTOR,
      action: 'retention.pupils_erased',
      target: `retention_certificate:${body.certificate}`,
      subjectIds: deleted,
      details: { rule: batch.rule, pupils: deleted.length, heldBack: body.heldBack },
    });
    return deleted;
  });
}
