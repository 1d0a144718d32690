import { notFound } from '../../platform/http/errors.ts';
import { sweepPepChildren } from '../pep/pep-retention.service.ts';
import { addDays, todayInEngland, type CalendarDate } from '../../platform/calendar/working-days.ts';
import type { Services } from '../../services.ts';
import { getSchool } from '../organisations/organisations.service.ts';
import {
  erasePupilBatch,
  planPupils,
  readSchoolRules,
  type PupilDue,
  type PupilPlan,
  type SchoolRules,
} from './pupil-sweep.service.ts';
import type { RetentionRuleId } from './retention.tables.ts';
import { periodInForce, ruleById } from './rules.ts';
import {
  eraseDueSchool,
  planSchools,
  schoolPlan,
  sendWarnings,
  type SchoolPlan,
} from './school-sweep.service.ts';
import * as standings from './school-status.repository.ts';

// A retention run: every school's pupil rules, then the school-wide rules. A dry run says what would go
// and why and changes nothing; a real run warns, deletes in capped batches and certifies each batch.
// Every deletion re-checks its conditions in its own transaction, so a run repeated (or run twice at
// once) deletes nothing twice.

export interface RunOptions {
  /** The run's clock (injectable for tests and for looking ahead). */
  now?: Date;
  dryRun: boolean;
  schoolId?: string;
  /** Pupils per deleting transaction. */
  batchSize?: number;
  /** At most this many pupils erased in one run (the rest wait for the next). */
  maxPupils?: number;
}

export interface SchoolRunReport {
  schoolId: string;
  name: string;
  pupilsDue: number;
  pupilsHeld: number;
  pupilsErased: number;
  withoutBirthDate: number;
  byRule: Partial<Record<RetentionRuleId, number>>;
  school: {
    rule: SchoolPlan['rule'];
    dueOn: CalendarDate;
    held: boolean;
    erased: boolean;
    warningsSent: number;
  };
}

export interface RunReport {
  dryRun: boolean;
  today: CalendarDate;
  schools: SchoolRunReport[];
  totals: {
    pupilsDue: number;
    pupilsHeld: number;
    pupilsErased: number;
    schoolsErased: number;
    warningsSent: number;
    /** Looked-after children of virtual schools past the age rule (a run for one school leaves them). */
    lookedAfterChildrenDue: number;
    lookedAfterChildrenErased: number;
  };
}

function schoolDue(plan: SchoolPlan, today: CalendarDate): boolean {
  return plan.dueOn <= today;
}

async function erasePupils(
  services: Services,
  school: { id: string; name: string },
  due: PupilDue[],
  options: { today: CalendarDate; batchSize: number; budget: number; rules: SchoolRules },
): Promise<number> {
  let erased = 0;
  for (const [rule, pupils] of Map.groupBy(due, (entry) => entry.rule)) {
    const period = periodInForce(ruleById(rule), options.rules.policies.get(rule));
    if (period === null) {
      continue;
    }
    const ids = pupils.map((pupil) => pupil.pupilId);
    for (let start = 0; start < ids.length && erased < options.budget; start += options.batchSize) {
      const pupilIds = ids.slice(start, Math.min(start + options.batchSize, start + options.budget - erased));
      erased += (await erasePupilBatch(services, school, { rule, period, pupilIds, today: options.today }))
        .length;
    }
  }
  return erased;
}

/**
 * One school's standing and due pupils, read in one transaction (its periods and holds read once for
 * both). Each deletion re-checks what it needs in its own transaction.
 */
async function planSchool(
  services: Services,
  standing: standings.SchoolStanding,
  today: CalendarDate,
): Promise<{ plan: SchoolPlan; pupils: PupilPlan; rules: SchoolRules }> {
  return services.db.withSchool(standing.id, async (trx) => {
    const rules = await readSchoolRules(trx, standing.id, today);
    return {
      plan: await schoolPlan(trx, standing, today, rules),
      pupils: await planPupils(services, trx, standing.id, today, today, rules),
      rules,
    };
  });
}

/** Runs (or, with dryRun, describes) retention for every school, or one. */
export async function runRetention(services: Services, options: RunOptions): Promise<RunReport> {
  const now = options.now ?? new Date();
  const today = todayInEngland(now);
  const batchSize = options.batchSize ?? 500;
  let budget = options.maxPupils ?? 100_000;
  const report: RunReport = {
    dryRun: options.dryRun,
    today,
    schools: [],
    totals: {
      pupilsDue: 0,
      pupilsHeld: 0,
      pupilsErased: 0,
      schoolsErased: 0,
      warningsSent: 0,
      lookedAfterChildrenDue: 0,
      lookedAfterChildrenErased: 0,
    },
  };
  const all = await services.db.withPlatform('retention: school standings', (trx) =>
    standings.schoolStandings(trx, options.schoolId),
  );
  for (const standing of all) {
    const { plan, pupils, rules } = await planSchool(services, standing, today);
    const free = pupils.due.filter((entry) => !entry.held);
    const entry: SchoolRunReport = {
      schoolId: plan.schoolId,
      name: plan.name,
      pupilsDue: pupils.due.length,
      pupilsHeld: pupils.due.length - free.length,
      pupilsErased: 0,
      withoutBirthDate: pupils.withoutBirthDate,
      byRule: Object.fromEntries(
        [...Map.groupBy(pupils.due, (due) => due.rule)].map(([rule, list]) => [rule, list.length]),
      ),
      school: { rule: plan.rule, dueOn: plan.dueOn, held: plan.held, erased: false, warningsSent: 0 },
    };
    if (!options.dryRun) {
      entry.school.warningsSent = await sendWarnings(services, plan, now);
      if (schoolDue(plan, today) && !plan.held) {
        entry.school.erased = await eraseDueSchool(services, plan, today);
      } else if (free.length > 0 && budget > 0) {
        entry.pupilsErased = await erasePupils(services, { id: plan.schoolId, name: plan.name }, free, {
          today,
          batchSize,
          budget,
          rules,
        });
        budget -= entry.pupilsErased;
      }
    }
    report.schools.push(entry);
    report.totals.pupilsDue += entry.pupilsDue;
    report.totals.pupilsHeld += entry.pupilsHeld;
    report.totals.pupilsErased += entry.pupilsErased;
    report.totals.schoolsErased += entry.school.erased ? 1 : 0;
    report.totals.warningsSent += entry.school.warningsSent;
  }
  if (options.schoolId === undefined) {
    const children = await sweepPepChildren(services, today, options.dryRun);
    report.totals.lookedAfterChildrenDue = children.due;
    report.totals.lookedAfterChildrenErased = children.erased;
  }
  return report;
}

export interface Outlook {
  today: CalendarDate;
  until: CalendarDate;
  pupils: PupilDue[];
  withoutBirthDate: number;
  school: SchoolPlan;
}

/** What will go from one school in the next `days` days, when and why (the school's retention page). */
export async function schoolOutlook(
  services: Services,
  schoolId: string,
  days: number,
  now = new Date(),
): Promise<Outlook> {
  const today = todayInEngland(now);
  const until = addDays(today, days);
  await getSchool(services, schoolId);
  const [school] = await planSchools(services, today, schoolId);
  if (school === undefined) {
    throw notFound('That school');
  }
  const pupils = await services.db.withSchool(schoolId, (trx) =>
    planPupils(services, trx, schoolId, today, until),
  );
  return { today, until, pupils: pupils.due, withoutBirthDate: pupils.withoutBirthDate, school };
}
