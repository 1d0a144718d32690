import { isOverdue } from './child-views.ts';
import { termLabel } from './pep-calendar.ts';
import type { Modules } from './pep-content.ts';
import {
  availableActions,
  editableModules,
  mayStartNextVersion,
  stateInWords,
  type PepRole,
} from './pep.policy.ts';
import type { DocumentRow } from './pep.repository.ts';
import type { PepViewValue } from './pep.schema.ts';

/** A PEP as the API returns it, with what this viewer may do next. */
export function pepView(input: {
  document: DocumentRow;
  child: PepViewValue['child'];
  modules: Modules;
  history: PepViewValue['history'];
  roles: readonly PepRole[];
  today: string;
}): PepViewValue {
  const { document, roles } = input;
  return {
    id: document.id,
    child: input.child,
    term: document.term,
    termLabel: termLabel(document.term),
    kind: document.kind,
    version: document.version,
    state: document.state,
    stateInWords: stateInWords(document.state),
    dueOn: document.due_on,
    overdue: isOverdue(document.state, document.due_on, input.today),
    modules: input.modules,
    funding: {
      requestedPence: document.funding_requested_pence,
      approvedPence: document.funding_approved_pence,
    },
    signedOff: document.signed_off_at === null ? null : { at: document.signed_off_at.toISOString() },
    history: input.history,
    you: {
      roles: [...roles],
      editable: editableModules(roles, document.state),
      actions: availableActions(roles, document.state),
      canStartNextVersion: mayStartNextVersion(roles, document.state).allowed,
    },
  };
}
