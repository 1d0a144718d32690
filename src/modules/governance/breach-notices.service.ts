import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { PLATFORM_ORG_ID, recordAudit } from '../../platform/audit/audit-log.ts';
import { conflict, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { withIdentity } from '../organisations/identity.ts';
import { schoolStaffHolding } from '../organisations/staff.service.ts';
import { privacyMail } from '../privacy/privacy-mail.ts';
import { BreachCipher } from './breach-facts.ts';
import { followUpNotice, initialNotice, noticeParagraphs, type Notice } from './breach-notice.ts';
import * as breaches from './breaches.repository.ts';
import type { NoticeKind } from './breaches.tables.ts';
import { schoolNames, type BreachWork } from './breaches.service.ts';

// Telling the controllers: the notice to each affected school, phased updates and the closure. Work
// that reaches schools runs in one platform transaction: each school's copy of the notice (in its own
// tenant, under its own keys), the event in its audit chain and the register's record commit together.
// The e-mails to each school's administrators and DPOs go after the commit.

interface Sent {
  schoolId: string;
  noticeId: string;
  notice: Notice;
}

type Trx = Transaction<DB>;

/** A platform transaction when schools are reached, otherwise the platform's own tenant. */
function inContext<R>(
  services: Services,
  reachesSchools: boolean,
  reason: string,
  work: (trx: Trx) => Promise<R>,
) {
  return reachesSchools ? services.db.withPlatform(reason, work) : withIdentity(services, work);
}

async function openBreach(trx: Trx, breachId: string): Promise<breaches.BreachRow> {
  const row = await breaches.lockBreach(trx, breachId);
  if (row === undefined) {
    throw notFound('That breach');
  }
  if (row.closed_at !== null) {
    throw conflict('This breach is closed; its record can no longer change.');
  }
  return row;
}

async function dispatch(
  {
    work,
    trx,
    cipher,
    row,
    now,
  }: { work: BreachWork; trx: Trx; cipher: BreachCipher; row: breaches.BreachRow; now: Date },
  schoolIds: readonly string[],
  kind: NoticeKind,
  make: (schoolId: string) => Notice,
): Promise<Sent[]> {
  const sent: Sent[] = [];
  for (const schoolId of schoolIds) {
    const noticeId = randomUUID();
    const notice = make(schoolId);
    await breaches.insertNotice(trx, {
      school_id: schoolId,
      id: noticeId,
      breach_id: row.id,
      kind,
      reference: row.reference,
      body: await cipher.sealNotice(schoolId, row.id, noticeId, notice),
      sent_at: now,
    });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: work.who.userId },
      action: 'breach_notices.received',
      target: `breach_notice:${noticeId}`,
      requestId: work.httpRequestId,
      details: { reference: row.reference, kind },
    });
    sent.push({ schoolId, noticeId, notice });
  }
  return sent;
}

/** E-mails each notice to the school's administrators and DPOs (everyone there holding privacy.manage). */
async function mailNotices(services: Services, sent: readonly Sent[]): Promise<void> {
  for (const { schoolId, notice } of sent) {
    const link = `${services.publicUrl}/schools/${schoolId}/breach-notices`;
    for (const person of await schoolStaffHolding(services, schoolId, 'privacy.manage')) {
      services.mailer.queue(privacyMail(person.email, notice.subject, noticeParagraphs(notice, link)));
    }
  }
}

function audit(
  trx: Trx,
  work: BreachWork,
  breachId: string,
  action: string,
  details: Record<string, string | number | boolean>,
) {
  return recordAudit(trx, {
    orgId: PLATFORM_ORG_ID,
    actor: { type: 'user', id: work.who.userId },
    action,
    target: `breach:${breachId}`,
    requestId: work.httpRequestId,
    details,
  });
}

/** Sends the notice to every affected school not sent it yet; returns how many were sent. */
export async function sendNotices(work: BreachWork, breachId: string, now = new Date()): Promise<number> {
  const { services } = work;
  const names = await schoolNames(services);
  const sent = await services.db.withPlatform(
    'breach register: notices to the affected schools',
    async (trx) => {
      const row = await openBreach(trx, breachId);
      const pending = (await breaches.schoolsOf(trx, breachId))
        .filter((school) => school.notified_at === null)
        .map((school) => school.affected_school_id);
      if (pending.length === 0) {
        throw conflict('Every school this breach affects has already been sent its notice.');
      }
      const cipher = new BreachCipher(services, trx);
      const facts = await cipher.facts(row);
      const out = await dispatch({ work, trx, cipher, row, now }, pending, 'notice', (schoolId) =>
        initialNotice(facts, names.get(schoolId) ?? 'your school'),
      );
      for (const schoolId of pending) {
        await breaches.markNotified(trx, breachId, schoolId, now);
      }
      await audit(trx, work, breachId, 'breaches.notices_sent', { schools: pending.length });
      return out;
    },
  );
  await mailNotices(services, sent);
  return sent.length;
}

/** Appends an update to the breach, and sends it to the schools already told when asked to. */
export async function addUpdate(
  work: BreachWork,
  breachId: string,
  input: { text: string; sendToSchools: boolean },
  now = new Date(),
): Promise<{ id: string; schoolsSent: number }> {
  const { services } = work;
  const id = randomUUID();
  const sent = await inContext(
    services,
    input.sendToSchools,
    'breach register: an update to the schools',
    async (trx) => {
      const row = await openBreach(trx, breachId);
      const cipher = new BreachCipher(services, trx);
      await breaches.insertUpdate(trx, {
        id,
        breach_id: breachId,
        body: await cipher.sealUpdate(breachId, id, input.text),
        sent_to_schools: input.sendToSchools,
        created_by: work.who.userId,
        created_at: now,
      });
      let out: Sent[] = [];
      if (input.sendToSchools) {
        const told = (await breaches.schoolsOf(trx, breachId)).filter(
          (school) => school.notified_at !== null,
        );
        if (told.length === 0) {
          throw conflict('No school has been sent the notice yet: send the notice before any update.');
        }
        const contact = (await cipher.open(breachId, 'contact', row.contact)) ?? '';
        const notice = followUpNotice('update', row.reference, input.text, contact);
        out = await dispatch(
          { work, trx, cipher, row, now },
          told.map((school) => school.affected_school_id),
          'update',
          () => notice,
        );
      }
      await audit(trx, work, breachId, 'breaches.update_added', {
        sentToSchools: input.sendToSchools,
        schools: out.length,
      });
      return out;
    },
  );
  await mailNotices(services, sent);
  return { id, schoolsSent: sent.length };
}

/** Closes the breach once every school was told and the ICO and subjects decisions are recorded. */
export async function closeBreach(
  work: BreachWork,
  breachId: string,
  input: { outcome: string; lessons: string; tellSchools: boolean },
  now = new Date(),
): Promise<{ schoolsSent: number }> {
  const { services } = work;
  const sent = await inContext(
    services,
    input.tellSchools,
    'breach register: closing a breach',
    async (trx) => {
      const row = await openBreach(trx, breachId);
      if (row.ico_status === 'pending' || row.subjects_status === 'pending') {
        throw conflict(
          'Record whether the ICO and the people involved were told (or why not) before closing the breach.',
        );
      }
      const schools = await breaches.schoolsOf(trx, breachId);
      if (schools.some((school) => school.notified_at === null)) {
        throw conflict('Send the notice to every school affected before closing the breach.');
      }
      const cipher = new BreachCipher(services, trx);
      await breaches.updateBreach(trx, breachId, {
        closed_at: now,
        outcome: await cipher.seal(breachId, 'outcome', input.outcome),
        lessons: await cipher.seal(breachId, 'lessons', input.lessons),
      });
      let out: Sent[] = [];
      if (input.tellSchools && schools.length > 0) {
        const contact = (await cipher.open(breachId, 'contact', row.contact)) ?? '';
        const notice = followUpNotice('closure', row.reference, input.outcome, contact);
        out = await dispatch(
          { work, trx, cipher, row, now },
          schools.map((school) => school.affected_school_id),
          'closure',
          () => notice,
        );
      }
      await audit(trx, work, breachId, 'breaches.closed', { schools: out.length });
      return out;
    },
  );
  await mailNotices(services, sent);
  return { schoolsSent: sent.length };
}
