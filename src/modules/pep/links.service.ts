import { recordAudit } from '../../platform/audit/audit-log.ts';
import { todayInEngland } from '../../platform/calendar/working-days.ts';
import { badRequest, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { organisationNamesIn } from '../organisations/organisations.service.ts';
import { matchPupil, schoolHasPupil } from '../pupils/pupil-pep.service.ts';
import { childSummaries } from './child-views.ts';
import { fullName, PepVault } from './pep-content.ts';
import * as repository from './pep.repository.ts';
import type { ChildSummaryView } from './pep.schema.ts';

// The school's side of linking: a virtual school asks to link a child it looks after to the school's
// record of that child; the school's designated teacher agrees (naming the pupil) or refuses. Until the
// school agrees, the authority sees nothing of the school's data.

interface LinkRequestView {
  childId: string;
  authority: { id: string; name: string };
  name: string;
  dob: string;
  upn: string | null;
  yearGroup: number | null;
  status: 'requested';
  suggestedPupilId: string | null;
}

export async function linkRequests(
  services: Services,
  who: SignedIn,
  schoolId: string,
  requestId: string,
): Promise<{ waiting: LinkRequestView[]; linked: ChildSummaryView[] }> {
  const links = await services.db.withSchool(schoolId, (trx) => repository.childrenLinkedTo(trx, schoolId));
  const waiting: Array<Omit<LinkRequestView, 'suggestedPupilId'> & { forename: string; surname: string }> =
    [];
  const linked: ChildSummaryView[] = [];
  for (const [authorityId, children] of Map.groupBy(links, (link) => link.authorityId)) {
    await services.db.withSchool(authorityId, async (trx) => {
      const names = await organisationNamesIn(trx, [authorityId]);
      const vault = new PepVault(services, trx, authorityId);
      const rows = await repository.childrenOf(trx, authorityId);
      const wanted = new Map(children.map((child) => [child.id, child.linkStatus]));
      const mine = rows.filter((row) => row.linked_school_id === schoolId && wanted.has(row.id));
      for (const row of mine.filter((entry) => entry.link_status === 'requested')) {
        const open = await vault.openChild(row);
        waiting.push({
          childId: row.id,
          authority: { id: authorityId, name: names.get(authorityId) ?? '' },
          name: fullName(open),
          forename: open.forename,
          surname: open.surname,
          dob: open.dob,
          upn: open.upn,
          yearGroup: row.year_group,
          status: 'requested',
        });
      }
      const agreed = mine.filter((entry) => entry.link_status === 'agreed');
      linked.push(...(await childSummaries(services, trx, authorityId, agreed, todayInEngland())));
      await recordAudit(trx, {
        orgId: authorityId,
        actor: { type: 'user', id: who.userId },
        action: 'pep.links_read_by_school',
        subjectIds: mine.map((row) => row.id),
        requestId,
        details: { schoolId },
      });
    });
  }
  const suggestions = await Promise.all(
    waiting.map(async ({ forename, surname, dob, upn, ...request }) => ({
      ...request,
      dob,
      upn,
      suggestedPupilId:
        (await matchPupil(services, schoolId, upn === null ? { forename, surname, dob } : { upn })) ?? null,
    })),
  );
  return { waiting: suggestions, linked };
}

/** The school agrees to link the child to one of its pupils: the virtual school then sees PEP-relevant data. */
export async function decideLink(
  services: Services,
  who: SignedIn,
  schoolId: string,
  childId: string,
  decision: { agree: true; pupilId: string } | { agree: false },
  requestId: string,
): Promise<void> {
  const links = await services.db.withSchool(schoolId, (trx) => repository.childrenLinkedTo(trx, schoolId));
  const link = links.find((entry) => entry.id === childId && entry.linkStatus === 'requested');
  if (link === undefined) {
    throw notFound('That link request');
  }
  if (decision.agree && !(await schoolHasPupil(services, schoolId, decision.pupilId))) {
    throw badRequest('That pupil is not on the school’s roll.', [
      { field: 'pupilId', message: 'is not a pupil of this school' },
    ]);
  }
  const action = decision.agree ? 'pep.link_agreed' : 'pep.link_refused';
  await services.db.withSchool(link.authorityId, async (trx) => {
    await repository.updateChild(trx, link.authorityId, childId, {
      link_status: decision.agree ? 'agreed' : 'refused',
      school_pupil_id: decision.agree ? decision.pupilId : null,
      link_decided_at: new Date(),
    });
    await recordAudit(trx, {
      orgId: link.authorityId,
      actor: { type: 'user', id: who.userId },
      action,
      target: `pep_child:${childId}`,
      subjectIds: [childId],
      requestId,
      details: { schoolId },
    });
  });
  await services.db.withSchool(schoolId, (trx) =>
    recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action,
      target: `local_authority:${link.authorityId}`,
      subjectIds: decision.agree ? [decision.pupilId] : [],
      requestId,
    }),
  );
}
