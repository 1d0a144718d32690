import { formatDateTime } from '../../components/page.tsx';
import type { PlatformEvidence, SchoolEvidence } from './api.ts';

// The evidence report's backups and breaches: statuses in words (any colour only repeats them).

type Backups = SchoolEvidence['backups'];
type NoticeKind = SchoolEvidence['breaches']['notices'][number]['kind'];

const NOTICE_KINDS: Record<NoticeKind, string> = {
  notice: 'Notice of a breach',
  update: 'Update',
  closure: 'Closure',
};

const never = (iso: string | null, words: string): string => (iso === null ? words : formatDateTime(iso));

/** The platform's backups and restore tests (times and outcomes only). */
export function BackupsEvidence({ backups, school }: { backups: Backups; school: boolean }) {
  const test = backups.lastRestoreTest;
  const rows: Array<[string, string]> = [
    ['Last successful backup', never(backups.lastSuccessfulBackup, 'None recorded')],
    [
      'Backups in the last 7 days',
      `${backups.lastSevenDays.succeeded} succeeded, ${backups.lastSevenDays.failed} failed`,
    ],
    [
      'Last restore test',
      test === null
        ? 'None recorded'
        : `${test.outcome === 'succeeded' ? 'Succeeded' : 'Failed'} on ${formatDateTime(test.testedAt)}`,
    ],
    ['Last successful restore test', never(backups.lastSuccessfulRestoreTest, 'None recorded')],
  ];
  return (
    <>
      <h3>Backups</h3>
      {school ? (
        <p className="hint">
          Haven backs up its whole database, this school’s data with every other’s: these are the platform’s
          backups.
        </p>
      ) : null}
      <div className="table-wrapper">
        <table className="table">
          <caption>Backups and restore tests</caption>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">Record</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([measure, value]) => (
              <tr key={measure}>
                <th scope="row">{measure}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The breach notices Haven sent the school: reference, kind and dates, never their text. */
export function SchoolBreaches({ notices }: { notices: SchoolEvidence['breaches']['notices'] }) {
  return (
    <>
      <h3>Breaches</h3>
      <div className="table-wrapper">
        <table className="table">
          <caption>Breach notices Haven sent the school</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Kind</th>
              <th scope="col">Sent</th>
              <th scope="col">Acknowledged</th>
            </tr>
          </thead>
          <tbody>
            {notices.length === 0 ? (
              <tr>
                <td colSpan={4}>None: Haven has sent the school no breach notice.</td>
              </tr>
            ) : (
              notices.map((notice) => (
                <tr key={notice.id}>
                  <th scope="row">{notice.reference}</th>
                  <td>{NOTICE_KINDS[notice.kind]}</td>
                  <td>{formatDateTime(notice.sentAt)}</td>
                  <td>
                    {notice.acknowledgedAt === null
                      ? 'Not acknowledged'
                      : `Acknowledged ${formatDateTime(notice.acknowledgedAt)}`}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The breach register in figures: no breach is named. */
export function PlatformBreaches({ breaches }: { breaches: PlatformEvidence['breaches'] }) {
  const rows: Array<[string, number]> = [
    ['Breaches recorded', breaches.total],
    ['Open', breaches.open],
    ['Closed', breaches.closed],
    ['ICO told', breaches.ico.notified],
    ['ICO not told (reason recorded)', breaches.ico.notNotified],
    ['ICO decision not yet recorded', breaches.ico.pending],
    [`Schools told within ${breaches.schools.targetHours} hours`, breaches.schools.toldOnTime],
    [`Schools told after ${breaches.schools.targetHours} hours`, breaches.schools.toldLate],
    ['Schools not yet told, within the target', breaches.schools.waiting],
    ['Schools not yet told, past the target', breaches.schools.overdue],
  ];
  return (
    <>
      <h3>Breaches</h3>
      <div className="table-wrapper">
        <table className="table">
          <caption>The breach register in figures</caption>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col" className="numeric">
                Count
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([measure, count]) => (
              <tr key={measure}>
                <th scope="row">{measure}</th>
                <td className="numeric">{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
