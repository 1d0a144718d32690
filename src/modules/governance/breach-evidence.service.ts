import type { Services } from '../../services.ts';
import { withIdentity } from '../organisations/identity.ts';
import { SCHOOL_NOTICE_HOURS } from './breach-clock.ts';
import * as breaches from './breaches.repository.ts';
import type { NoticeKind } from './breaches.tables.ts';

// The breach register as compliance evidence: for a school, the notices it was sent and whether it
// acknowledged them; for the operator, the register in figures. Never the free text (what happened,
// the notices' words): those stay in the register and the school's inbox, encrypted.

export interface NoticeRecord {
  id: string;
  reference: string;
  kind: NoticeKind;
  sentAt: Date;
  acknowledgedAt: Date | null;
}

/**
 * The breach notices a school was sent, newest first: reference, kind and dates only, read through
 * the school's own row-level security (no body is read or decrypted).
 */
export async function schoolNoticeRecord(services: Services, schoolId: string): Promise<NoticeRecord[]> {
  const rows = await services.db.withSchool(schoolId, (trx) => breaches.noticeDates(trx, schoolId));
  return rows.map((row) => ({
    id: row.id,
    reference: row.reference,
    kind: row.kind,
    sentAt: row.sent_at,
    acknowledgedAt: row.acknowledged_at,
  }));
}

export interface RegisterFigures {
  total: number;
  open: number;
  closed: number;
  ico: { notified: number; notNotified: number; pending: number };
  /** Affected schools against Haven's target for telling each one (hours from awareness). */
  schools: { targetHours: number; toldOnTime: number; toldLate: number; waiting: number; overdue: number };
}

/** The operator's register in figures, as of `now` (read in the platform's own tenant). */
export async function registerFigures(services: Services, now = new Date()): Promise<RegisterFigures> {
  const tally = await withIdentity(services, (trx) => breaches.registerTally(trx, now));
  return {
    total: tally.total,
    open: tally.open,
    closed: tally.total - tally.open,
    ico: {
      notified: tally.icoNotified,
      notNotified: tally.icoNotNotified,
      pending: tally.total - tally.icoNotified - tally.icoNotNotified,
    },
    schools: {
      targetHours: SCHOOL_NOTICE_HOURS,
      toldOnTime: tally.schoolsToldOnTime,
      toldLate: tally.schoolsToldLate,
      waiting: tally.schoolsWaiting,
      overdue: tally.schoolsOverdue,
    },
  };
}
