import { recordAudit } from '../../platform/audit/audit-log.ts';
import { addWorkingDays, todayInEngland } from '../../platform/calendar/working-days.ts';
import type { Services } from '../../services.ts';
import { childSummaries } from './child-views.ts';
import { DUE_SOON_WORKING_DAYS, termLabel, termOf } from './pep-calendar.ts';
import type { PepViewer } from './pep-access.ts';
import * as repository from './pep.repository.ts';
import type { ChildSummaryView } from './pep.schema.ts';

// The virtual school's view of the term: how many PEPs are where, which are overdue or due soon, the
// quality ratings and the Pupil Premium Plus money asked for and agreed.

export async function dashboard(services: Services, viewer: PepViewer, today = todayInEngland()) {
  return services.db.withSchool(viewer.authorityId, async (trx) => {
    const term = termOf(today);
    const rows = (
      await repository.childrenOf(
        trx,
        viewer.authorityId,
        viewer.socialWorkerOnly ? { socialWorkerId: viewer.userId } : {},
      )
    ).filter((row) => row.left_care_on === null);
    const children = await childSummaries(services, trx, viewer.authorityId, rows, today);
    const expected = children.flatMap((child) => (child.current === null ? [] : [child.current]));
    const byState = { not_started: 0, draft: 0, submitted: 0, returned: 0, approved: 0, signed_off: 0 };
    const qa = { red: 0, amber: 0, green: 0, unrated: 0 };
    for (const pep of expected) {
      byState[pep.state ?? 'not_started'] += 1;
      if (pep.pepId !== null) {
        qa[pep.qaRating ?? 'unrated'] += 1;
      }
    }
    const documents = await repository.latestDocumentsForTerm(trx, viewer.authorityId, term);
    const inView = new Set(rows.map((row) => row.id));
    const soon = addWorkingDays(today, DUE_SOON_WORKING_DAYS);
    const dueSoon = (child: ChildSummaryView) =>
      child.current !== null &&
      !child.current.overdue &&
      child.current.dueOn <= soon &&
      (child.current.state === null || child.current.state === 'draft' || child.current.state === 'returned');
    await recordAudit(trx, {
      orgId: viewer.authorityId,
      actor: { type: 'user', id: viewer.userId },
      action: 'pep.dashboard_read',
      requestId: viewer.requestId,
      details: { term },
    });
    return {
      term,
      termLabel: termLabel(term),
      children: rows.length,
      byState,
      overdue: children.filter((child) => child.current?.overdue === true).length,
      dueSoon: children.filter(dueSoon).length,
      completionPercent:
        expected.length === 0 ? 0 : Math.round((byState.signed_off / expected.length) * 1000) / 10,
      qa,
      funding: {
        requestedPence: sum(
          documents.filter((row) => inView.has(row.child_id)).map((row) => row.funding_requested_pence),
        ),
        approvedPence: sum(
          documents.filter((row) => inView.has(row.child_id)).map((row) => row.funding_approved_pence),
        ),
      },
      linkRequests: {
        waiting: rows.filter((row) => row.link_status === 'requested').length,
        refused: rows.filter((row) => row.link_status === 'refused').length,
      },
      attention: children
        .filter((child) => child.current?.overdue === true || dueSoon(child))
        .toSorted((a, b) => (a.current?.dueOn ?? '').localeCompare(b.current?.dueOn ?? '')),
    };
  });
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
