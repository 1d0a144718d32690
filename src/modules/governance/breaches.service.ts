import { randomUUID } from 'node:crypto';
import { PLATFORM_ORG_ID, recordAudit } from '../../platform/audit/audit-log.ts';
import { badRequest, conflict, notFound, type FieldError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { withIdentity, type SignedIn } from '../organisations/identity.ts';
import { listSchools } from '../organisations/organisations.service.ts';
import {
  countdownWords,
  formatLondon,
  icoDeadline,
  parseInstant,
  schoolNoticeTarget,
} from './breach-clock.ts';
import { BreachCipher } from './breach-facts.ts';
import * as breaches from './breaches.repository.ts';
import type {
  BreachDetailsView,
  BreachSummaryView,
  NewBreach,
  NotificationsInput,
} from './breaches.schema.ts';

// The operator's breach register: recording an incident, reading it with its clocks, and the record of
// whether and when the ICO and the people involved were told. Notices to schools, updates and closure
// are in breach-notices.service.ts. Every change is audited in the platform's chain.

/** Who is acting, for the audit trail. */
export interface BreachWork {
  services: Services;
  who: SignedIn;
  httpRequestId: string;
}

/** A little slack for clocks that differ between the operator's machine and the server. */
const CLOCK_SKEW_MS = 5 * 60_000;

function notInFuture(at: Date, field: string, now: Date): Date {
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw badRequest('A time in the register cannot be in the future.', [
      { field, message: 'is in the future' },
    ]);
  }
  return at;
}

export function instant(at: Date): { at: string; display: string } {
  return { at: at.toISOString(), display: formatLondon(at) };
}

export function stamp(at: Date | null): { at: string; display: string } | null {
  return at === null ? null : instant(at);
}

export function clock(deadline: Date, now: Date) {
  return {
    at: deadline.toISOString(),
    display: formatLondon(deadline),
    countdown: countdownWords(deadline, now),
    overdue: now.getTime() > deadline.getTime(),
  };
}

/** The schools on the platform by id, for naming them (only names: never their data). */
export async function schoolNames(services: Services): Promise<Map<string, string>> {
  return new Map((await listSchools(services)).map((school) => [school.id, school.name]));
}

/** Records a breach; its clocks run from when the operator became aware. */
export async function createBreach(
  { services, who, httpRequestId }: BreachWork,
  input: NewBreach,
  now = new Date(),
): Promise<{ id: string; reference: string }> {
  const awareAt = notInFuture(parseInstant(input.awareAt, 'body.awareAt'), 'body.awareAt', now);
  const occurredAt =
    input.occurredAt === undefined || input.occurredAt === ''
      ? null
      : notInFuture(parseInstant(input.occurredAt, 'body.occurredAt'), 'body.occurredAt', now);
  if (occurredAt !== null && occurredAt > awareAt) {
    throw badRequest('A breach cannot happen after it was discovered.', [
      { field: 'body.occurredAt', message: 'is after the time of awareness' },
    ]);
  }
  const names = await schoolNames(services);
  const unknown = input.schoolIds.filter((id) => !names.has(id) || id === PLATFORM_ORG_ID);
  if (unknown.length > 0) {
    throw badRequest('Some of the schools affected are not schools on this platform.', [
      { field: 'body.schoolIds', message: `${unknown.length} unknown school id(s)` },
    ]);
  }
  return withIdentity(services, async (trx) => {
    const id = randomUUID();
    const cipher = new BreachCipher(services, trx);
    const reference = await breaches.nextReference(trx, awareAt.getUTCFullYear());
    await breaches.insertBreach(trx, {
      id,
      reference,
      nature: input.nature,
      aware_at: awareAt,
      occurred_at: occurredAt,
      description: await cipher.seal(id, 'description', input.description),
      people_categories: JSON.stringify(input.peopleCategories),
      data_categories: JSON.stringify(input.dataCategories),
      approx_people: input.approxPeople,
      approx_records: input.approxRecords,
      consequences: await cipher.seal(id, 'consequences', input.consequences),
      measures_taken: await cipher.seal(id, 'measures_taken', input.measuresTaken),
      measures_proposed: await cipher.sealOptional(id, 'measures_proposed', input.measuresProposed),
      contact: await cipher.seal(id, 'contact', input.contact),
      created_by: who.userId,
    });
    const notifyBy = schoolNoticeTarget(awareAt);
    await breaches.insertBreachSchools(
      trx,
      input.schoolIds.map((schoolId) => ({
        breach_id: id,
        affected_school_id: schoolId,
        notify_by: notifyBy,
      })),
    );
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: 'breaches.recorded',
      target: `breach:${id}`,
      requestId: httpRequestId,
      details: { reference, nature: input.nature, schools: input.schoolIds.length },
    });
    return { id, reference };
  });
}

function summaryOf(row: breaches.BreachListRow, now: Date): BreachSummaryView {
  return {
    id: row.id,
    reference: row.reference,
    nature: row.nature,
    status: row.closed_at === null ? 'open' : 'closed',
    aware: instant(row.aware_at),
    icoDeadline: clock(icoDeadline(row.aware_at), now),
    schoolTarget: clock(schoolNoticeTarget(row.aware_at), now),
    icoStatus: row.ico_status,
    schoolsAffected: row.schools_affected,
    schoolsNotified: row.schools_notified,
  };
}

/** The register: open breaches first, each with its clocks in words. */
export async function listBreaches(services: Services, now = new Date()): Promise<BreachSummaryView[]> {
  const rows = await withIdentity(services, (trx) => breaches.listBreaches(trx));
  return rows.map((row) => summaryOf(row, now));
}

/** One breach in full (its text decrypted; the read is audited). */
export async function breachDetails(
  { services, who, httpRequestId }: BreachWork,
  breachId: string,
  now = new Date(),
): Promise<BreachDetailsView> {
  const names = await schoolNames(services);
  return withIdentity(services, async (trx) => {
    const row = (await breaches.listBreaches(trx)).find((entry) => entry.id === breachId);
    if (row === undefined) {
      throw notFound('That breach');
    }
    const cipher = new BreachCipher(services, trx);
    const facts = await cipher.facts(row);
    const schools = await breaches.schoolsOf(trx, breachId);
    const updates = await breaches.updatesOf(trx, breachId);
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: 'breaches.read',
      target: `breach:${breachId}`,
      requestId: httpRequestId,
    });
    const closedAt = row.closed_at;
    return {
      ...summaryOf(row, now),
      occurred: stamp(row.occurred_at),
      description: facts.description,
      peopleCategories: [...facts.peopleCategories],
      dataCategories: [...facts.dataCategories],
      approxPeople: facts.approxPeople,
      approxRecords: facts.approxRecords,
      consequences: facts.consequences,
      measuresTaken: facts.measuresTaken,
      measuresProposed: facts.measuresProposed,
      contact: facts.contact,
      schools: schools.map((school) => ({
        schoolId: school.affected_school_id,
        name: names.get(school.affected_school_id) ?? 'Unknown school',
        notifyBy: clock(school.notify_by, school.notified_at ?? now),
        notified: stamp(school.notified_at),
        acknowledged: stamp(school.acknowledged_at),
      })),
      ico: {
        status: row.ico_status,
        told: stamp(row.ico_told_at),
        reference: row.ico_reference,
        reason: await cipher.open(breachId, 'ico_reason', row.ico_reason),
      },
      subjects: {
        status: row.subjects_status,
        told: stamp(row.subjects_told_at),
        reason: await cipher.open(breachId, 'subjects_reason', row.subjects_reason),
      },
      updates: await Promise.all(
        updates.map(async (update) => ({
          id: update.id,
          text: await cipher.openUpdate(update.id, update.body),
          sentToSchools: update.sent_to_schools,
          ...instant(update.created_at),
        })),
      ),
      closure:
        closedAt === null
          ? null
          : {
              ...instant(closedAt),
              outcome: (await cipher.open(breachId, 'outcome', row.outcome)) ?? '',
              lessons: (await cipher.open(breachId, 'lessons', row.lessons)) ?? '',
            },
    };
  });
}

function toldAt(
  status: string,
  told: string,
  time: string | undefined,
  reason: string | undefined,
  names: { time: string; reason: string },
  limits: { awareAt: Date; now: Date },
  fields: FieldError[],
): Date | null {
  if (status === told) {
    if (time === undefined || time === '') {
      fields.push({ field: names.time, message: 'is needed when they were told' });
      return null;
    }
    const at = notInFuture(parseInstant(time, names.time), names.time, limits.now);
    if (at < limits.awareAt) {
      fields.push({ field: names.time, message: 'is before the breach was discovered' });
    }
    return at;
  }
  if (status.startsWith('not_') && (reason === undefined || reason.trim() === '')) {
    fields.push({ field: names.reason, message: 'is needed: say why they are not told' });
  }
  return null;
}

/** Records whether and when the ICO and the people involved were told, or why not. */
export async function recordNotifications(
  { services, who, httpRequestId }: BreachWork,
  breachId: string,
  input: NotificationsInput,
  now = new Date(),
): Promise<void> {
  await withIdentity(services, async (trx) => {
    const row = await breaches.lockBreach(trx, breachId);
    if (row === undefined) {
      throw notFound('That breach');
    }
    if (row.closed_at !== null) {
      throw conflict('This breach is closed; its record can no longer change.');
    }
    const fields: FieldError[] = [];
    const limits = { awareAt: row.aware_at, now };
    const icoAt = toldAt(
      input.ico,
      'notified',
      input.icoToldAt,
      input.icoReason,
      { time: 'body.icoToldAt', reason: 'body.icoReason' },
      limits,
      fields,
    );
    const subjectsAt = toldAt(
      input.subjects,
      'told',
      input.subjectsToldAt,
      input.subjectsReason,
      { time: 'body.subjectsToldAt', reason: 'body.subjectsReason' },
      limits,
      fields,
    );
    if (fields.length > 0) {
      throw badRequest('The notifications record is incomplete.', fields);
    }
    const cipher = new BreachCipher(services, trx);
    await breaches.updateBreach(trx, breachId, {
      ico_status: input.ico,
      ico_told_at: icoAt,
      ico_reference: input.ico === 'notified' ? input.icoReference?.trim() || null : null,
      ico_reason:
        input.ico === 'not_notified'
          ? await cipher.sealOptional(breachId, 'ico_reason', input.icoReason)
          : null,
      subjects_status: input.subjects,
      subjects_told_at: subjectsAt,
      subjects_reason:
        input.subjects === 'not_told'
          ? await cipher.sealOptional(breachId, 'subjects_reason', input.subjectsReason)
          : null,
    });
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: 'breaches.notifications_recorded',
      target: `breach:${breachId}`,
      requestId: httpRequestId,
      details: { ico: input.ico, subjects: input.subjects },
    });
  });
}
