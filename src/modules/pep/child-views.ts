import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { Services } from '../../services.ts';
import { organisationNamesIn } from '../organisations/organisations.service.ts';
import { childReference } from './pep-access.ts';
import { expectedPep, termLabel, termOf } from './pep-calendar.ts';
import { fullName, PepVault } from './pep-content.ts';
import * as repository from './pep.repository.ts';
import type { ChildSummaryView } from './pep.schema.ts';

// How a child and their PEPs are summarised for lists and dashboards: this term's expected PEP, its
// state and whether it is overdue (not yet submitted after its due day).

export async function childSummaries(
  services: Services,
  trx: Transaction<DB>,
  authorityId: string,
  rows: readonly repository.ChildRow[],
  today: string,
): Promise<ChildSummaryView[]> {
  const term = termOf(today);
  const documents = new Map(
    (await repository.latestDocumentsForTerm(trx, authorityId, term)).map((row) => [row.child_id, row]),
  );
  const schoolNames = await organisationNamesIn(
    trx,
    rows.flatMap((row) => (row.linked_school_id === null ? [] : [row.linked_school_id])),
  );
  const vault = new PepVault(services, trx, authorityId);
  const summaries: ChildSummaryView[] = [];
  for (const row of rows) {
    const open = await vault.openChild(row);
    const expected = row.left_care_on === null ? expectedPep(row.entered_care_on, term) : undefined;
    const document = documents.get(row.id);
    summaries.push({
      id: row.id,
      reference: childReference(row.id),
      name: fullName(open),
      yearGroup: row.year_group,
      enteredCareOn: row.entered_care_on,
      leftCareOn: row.left_care_on,
      school: {
        id: row.linked_school_id,
        name:
          row.linked_school_id === null ? row.school_name : (schoolNames.get(row.linked_school_id) ?? null),
        linkStatus: row.link_status,
      },
      current:
        expected === undefined
          ? null
          : {
              term,
              kind: document?.kind ?? expected.kind,
              dueOn: document?.due_on ?? expected.dueOn,
              pepId: document?.id ?? null,
              state: document?.state ?? null,
              overdue: isOverdue(document?.state ?? null, document?.due_on ?? expected.dueOn, today),
              qaRating: document?.qa_rating ?? null,
            },
    });
  }
  return summaries;
}

/** Overdue: past its due day and not yet submitted (nor beyond). */
export function isOverdue(state: string | null, dueOn: string, today: string): boolean {
  return today > dueOn && (state === null || state === 'draft' || state === 'returned');
}

export function pepListEntry(row: repository.DocumentRow) {
  return {
    id: row.id,
    term: row.term,
    termLabel: termLabel(row.term),
    kind: row.kind,
    version: row.version,
    state: row.state,
    dueOn: row.due_on,
    qaRating: row.qa_rating,
    signedOffAt: row.signed_off_at?.toISOString() ?? null,
  };
}
