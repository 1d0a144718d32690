import type { PepState } from './pep.tables.ts';

// Who may do what to a PEP, as pure functions (tested as tables in pep.policy.test.ts). A person acts on
// a PEP in one or more PEP roles: the designated teacher of the child's school, the child's allocated
// social worker, or a virtual school officer or head of the authority that looks after the child.

export const PEP_ROLES = [
  'designated_teacher',
  'social_worker',
  'virtual_school_officer',
  'virtual_school_head',
] as const;
export type PepRole = (typeof PEP_ROLES)[number];

export const PEP_MODULES = ['basic_info', 'pupil_voice', 'send', 'meeting', 'targets', 'qa'] as const;
export type PepModule = (typeof PEP_MODULES)[number];

export const PEP_ACTIONS = ['submit', 'return', 'approve', 'sign_off'] as const;
export type PepAction = (typeof PEP_ACTIONS)[number];

const VIRTUAL_SCHOOL: readonly PepRole[] = ['virtual_school_officer', 'virtual_school_head'];

/** Who writes each module. The child's voice is captured by the designated teacher or (through the social worker) the carer. */
const MODULE_EDITORS: Record<PepModule, readonly PepRole[]> = {
  basic_info: ['designated_teacher', 'social_worker', ...VIRTUAL_SCHOOL],
  pupil_voice: ['designated_teacher', 'social_worker', ...VIRTUAL_SCHOOL],
  send: ['designated_teacher', ...VIRTUAL_SCHOOL],
  meeting: ['designated_teacher', 'social_worker', ...VIRTUAL_SCHOOL],
  targets: ['designated_teacher', ...VIRTUAL_SCHOOL],
  qa: VIRTUAL_SCHOOL,
};

/** In which states each module is open: contributors write drafts and returned PEPs; QA is done on submitted ones. */
const MODULE_STATES: Record<PepModule, readonly PepState[]> = {
  basic_info: ['draft', 'returned'],
  pupil_voice: ['draft', 'returned'],
  send: ['draft', 'returned'],
  meeting: ['draft', 'returned'],
  targets: ['draft', 'returned'],
  qa: ['submitted'],
};

interface Transition {
  from: readonly PepState[];
  to: PepState;
  by: readonly PepRole[];
}

const TRANSITIONS: Record<PepAction, Transition> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', by: ['designated_teacher', ...VIRTUAL_SCHOOL] },
  return: { from: ['submitted', 'approved'], to: 'returned', by: VIRTUAL_SCHOOL },
  approve: { from: ['submitted'], to: 'approved', by: VIRTUAL_SCHOOL },
  sign_off: { from: ['approved'], to: 'signed_off', by: ['virtual_school_head'] },
};

export type Decision = { allowed: true } | { allowed: false; status: 403 | 409; reason: string };

const STATE_WORDS: Record<PepState, string> = {
  draft: 'a draft',
  submitted: 'submitted for quality assurance',
  returned: 'returned for amendments',
  approved: 'approved',
  signed_off: 'signed off and locked',
};

export function stateInWords(state: PepState): string {
  return STATE_WORDS[state];
}

/** May someone in `roles` change `module` of a PEP in `state`? */
export function mayEditModule(roles: readonly PepRole[], module: PepModule, state: PepState): Decision {
  if (!roles.some((role) => MODULE_EDITORS[module].includes(role))) {
    return {
      allowed: false,
      status: 403,
      reason: `Your role does not write the ${moduleTitle(module)} section.`,
    };
  }
  if (state === 'signed_off') {
    return {
      allowed: false,
      status: 409,
      reason: 'This PEP is signed off and locked. Start a new version to make changes.',
    };
  }
  if (!MODULE_STATES[module].includes(state)) {
    return {
      allowed: false,
      status: 409,
      reason: `The ${moduleTitle(module)} section cannot be changed while the PEP is ${STATE_WORDS[state]}.`,
    };
  }
  return { allowed: true };
}

/** May someone in `roles` take `action` on a PEP in `state`? Gives the state it leads to. */
export function mayTransition(
  roles: readonly PepRole[],
  action: PepAction,
  state: PepState,
): { allowed: true; to: PepState } | Extract<Decision, { allowed: false }> {
  const transition = TRANSITIONS[action];
  if (!roles.some((role) => transition.by.includes(role))) {
    return { allowed: false, status: 403, reason: `Your role may not ${ACTION_WORDS[action]} a PEP.` };
  }
  if (!transition.from.includes(state)) {
    return {
      allowed: false,
      status: 409,
      reason: `A PEP that is ${STATE_WORDS[state]} cannot be ${ACTION_PAST[action]}.`,
    };
  }
  return { allowed: true, to: transition.to };
}

/** Which actions `roles` could take on a PEP in `state` (the page shows only these buttons). */
export function availableActions(roles: readonly PepRole[], state: PepState): PepAction[] {
  return PEP_ACTIONS.filter((action) => mayTransition(roles, action, state).allowed);
}

/** Which modules `roles` could change in `state`. */
export function editableModules(roles: readonly PepRole[], state: PepState): PepModule[] {
  return PEP_MODULES.filter((module) => mayEditModule(roles, module, state).allowed);
}

/** A signed-off PEP is locked: further work starts the next version (any contributor may start it). */
export function mayStartNextVersion(roles: readonly PepRole[], state: PepState): Decision {
  if (state !== 'signed_off') {
    return {
      allowed: false,
      status: 409,
      reason: 'Only a signed-off PEP starts a new version; this one can still be edited.',
    };
  }
  return roles.some((role) => role !== 'social_worker')
    ? { allowed: true }
    : { allowed: false, status: 403, reason: 'Your role may not start a new version of a PEP.' };
}

/** Only the virtual school decides Pupil Premium Plus funding; schools and social workers request it. */
export function mayApproveFunding(roles: readonly PepRole[]): boolean {
  return roles.some((role) => VIRTUAL_SCHOOL.includes(role));
}

const ACTION_WORDS: Record<PepAction, string> = {
  submit: 'submit',
  return: 'return',
  approve: 'approve',
  sign_off: 'sign off',
};
const ACTION_PAST: Record<PepAction, string> = {
  submit: 'submitted',
  return: 'returned',
  approve: 'approved',
  sign_off: 'signed off',
};

const MODULE_TITLES: Record<PepModule, string> = {
  basic_info: 'Basic Info',
  pupil_voice: 'Pupil Voice',
  send: 'SEND',
  meeting: 'Meeting',
  targets: 'Targets & Actions',
  qa: 'QA & Sign Off',
};

export function moduleTitle(module: PepModule): string {
  return MODULE_TITLES[module];
}

export function isPepRole(role: string): role is PepRole {
  return (PEP_ROLES as readonly string[]).includes(role);
}
