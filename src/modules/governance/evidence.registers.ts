import type { Services } from '../../services.ts';
import { backupSummary } from '../retention/backup-verify.service.ts';
import { schoolNoticeRecord } from './breach-evidence.service.ts';
import type { NoticeKind } from './breaches.tables.ts';

// The parts of the evidence report that come from other registers: backups (the retention module's
// record, platform data) and breaches (the breach register and each school's notices). Times and
// outcomes only: no file names, checksums, error messages or breach text.

export interface BackupEvidence {
  /** When the newest successful backup finished; null: none recorded. */
  lastSuccessfulBackup: string | null;
  /** Backups started in the last 7 days, by outcome. */
  lastSevenDays: { succeeded: number; failed: number };
  lastRestoreTest: { testedAt: string; outcome: 'succeeded' | 'failed' } | null;
  /** When the newest successful restore test ran (the same as the last when that succeeded). */
  lastSuccessfulRestoreTest: string | null;
}

/** A breach notice the school was sent: its reference and dates, never its text. */
export interface NoticeEvidence {
  id: string;
  reference: string;
  kind: NoticeKind;
  sentAt: string;
  acknowledged: boolean;
  acknowledgedAt: string | null;
}

/** The platform's backups (the same for every school: one database holds them all). */
export async function backupEvidence(services: Services): Promise<BackupEvidence> {
  const summary = await backupSummary(services);
  return {
    lastSuccessfulBackup: summary.lastSuccessfulBackupAt?.toISOString() ?? null,
    lastSevenDays: summary.lastSevenDays,
    lastRestoreTest:
      summary.lastRestoreTest === null
        ? null
        : {
            testedAt: summary.lastRestoreTest.testedAt.toISOString(),
            outcome: summary.lastRestoreTest.outcome,
          },
    lastSuccessfulRestoreTest: summary.lastSuccessfulRestoreTestAt?.toISOString() ?? null,
  };
}

/** The breach notices Haven sent this school, newest first (the school's own tenant). */
export async function noticeEvidence(
  services: Services,
  schoolId: string,
): Promise<{ notices: NoticeEvidence[] }> {
  const notices = await schoolNoticeRecord(services, schoolId);
  return {
    notices: notices.map((notice) => ({
      id: notice.id,
      reference: notice.reference,
      kind: notice.kind,
      sentAt: notice.sentAt.toISOString(),
      acknowledged: notice.acknowledgedAt !== null,
      acknowledgedAt: notice.acknowledgedAt?.toISOString() ?? null,
    })),
  };
}
