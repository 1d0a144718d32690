import { PLATFORM_ORG_ID, recordAudit } from '../../platform/audit/audit-log.ts';
import { notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { BreachCipher } from './breach-facts.ts';
import * as breaches from './breaches.repository.ts';
import type { SchoolNoticeView } from './breaches.schema.ts';
import { instant, stamp } from './breaches.service.ts';

// The school's side: the breach notices Haven sent it (as the controller), read through the school's
// own row-level security, and their acknowledgement, which the operator's register records too.

function viewOf(
  row: breaches.NoticeRow,
  notice: { subject: string; sections: Array<{ heading: string; text: string }> },
): SchoolNoticeView {
  return {
    id: row.id,
    breachId: row.breach_id,
    kind: row.kind,
    reference: row.reference,
    subject: notice.subject,
    sections: notice.sections,
    sent: instant(row.sent_at),
    acknowledged: stamp(row.acknowledged_at),
  };
}

/** The school's breach notices, newest first (reading them is audited in the school's chain). */
export async function schoolNotices(
  services: Services,
  who: SignedIn,
  schoolId: string,
  httpRequestId: string,
): Promise<SchoolNoticeView[]> {
  return services.db.withSchool(schoolId, async (trx) => {
    const rows = await breaches.noticesOf(trx, schoolId);
    const cipher = new BreachCipher(services, trx);
    const views = await Promise.all(
      rows.map(async (row) => viewOf(row, await cipher.openNotice(schoolId, row.id, row.body))),
    );
    if (rows.length > 0) {
      await recordAudit(trx, {
        orgId: schoolId,
        actor: { type: 'user', id: who.userId },
        action: 'breach_notices.read',
        requestId: httpRequestId,
        details: { notices: rows.length },
      });
    }
    return views;
  });
}

/**
 * The school acknowledges a notice: recorded on its copy and in the operator's register, and audited in
 * both chains, in one transaction (it reaches the platform's tenant, so it is a platform context).
 */
export async function acknowledgeNotice(
  services: Services,
  who: SignedIn,
  schoolId: string,
  noticeId: string,
  httpRequestId: string,
  now = new Date(),
): Promise<SchoolNoticeView> {
  return services.db.withPlatform('breach register: a school acknowledges a notice', async (trx) => {
    const result = await breaches.acknowledgeNotice(trx, schoolId, noticeId, who.userId, now);
    if (result === undefined) {
      throw notFound('That notice');
    }
    const row = result.notice;
    if (result.changed) {
      if (row.kind === 'notice') {
        await breaches.markAcknowledged(trx, row.breach_id, schoolId, now);
      }
      const event = { actor: { type: 'user' as const, id: who.userId }, requestId: httpRequestId };
      await recordAudit(trx, {
        ...event,
        orgId: schoolId,
        action: 'breach_notices.acknowledged',
        target: `breach_notice:${noticeId}`,
        details: { reference: row.reference, kind: row.kind },
      });
      await recordAudit(trx, {
        ...event,
        orgId: PLATFORM_ORG_ID,
        action: 'breaches.notice_acknowledged',
        target: `breach:${row.breach_id}`,
        details: { schoolId, kind: row.kind },
      });
    }
    const cipher = new BreachCipher(services, trx);
    return viewOf(row, await cipher.openNotice(schoolId, row.id, row.body));
  });
}
