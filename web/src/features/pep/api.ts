// Personal Education Plans as the web app sees them: types from the server's own schemas, where things
// live for each side (the virtual school, a school's designated teacher) and the words staff read.
// Children are addressed by id only: a child's name never goes in an address or a log.
import type { Static } from 'typebox';
import type {
  ChildDetail,
  ChildSummary,
  Dashboard,
  LinkRequests,
  PepListEntry,
  PepView,
  SchoolOptions,
  StaffOptions,
} from '../../../../src/modules/pep/pep.schema.ts';
import type {
  PLACEMENT_TYPES,
  TARGET_AREAS,
  TARGET_STATUSES,
} from '../../../../src/modules/pep/pep-codes.ts';
import type { PEP_ACTIONS, PEP_MODULES, PEP_ROLES } from '../../../../src/modules/pep/pep.policy.ts';
import type { ModuleValues } from '../../../../src/modules/pep/pep.schema.ts';
import type { Me } from '../../api/types.ts';

export type Child = Static<typeof ChildSummary>;
export type ChildFull = Static<typeof ChildDetail>;
export type DashboardView = Static<typeof Dashboard>;
export type Links = Static<typeof LinkRequests>;
export type LinkRequestView = Links['waiting'][number];
export type Pep = Static<typeof PepView>;
export type PepEntry = Static<typeof PepListEntry>;
export type SchoolOption = Static<typeof SchoolOptions>[number];
export type StaffOption = Static<typeof StaffOptions>[number];
export type Modules = ModuleValues;
export type ModuleName = (typeof PEP_MODULES)[number];
export type Action = (typeof PEP_ACTIONS)[number];
export type PepRole = (typeof PEP_ROLES)[number];
export type PlacementType = (typeof PLACEMENT_TYPES)[number];
export type TargetArea = (typeof TARGET_AREAS)[number];
export type TargetStatus = (typeof TARGET_STATUSES)[number];
export type PepState = Pep['state'];
export type Target = Modules['targets']['targets'][number];

/**
 * Which side a page works for: the virtual school (all the authority's children) or a school (the
 * children linked to it). Both read the same child and PEP documents under their own prefix.
 */
export interface Scope {
  kind: 'authority' | 'school';
  orgId: string;
  /** The API prefix: /api/v1/authorities/:id/pep or /api/v1/schools/:id/pep. */
  api: string;
  /** The web app's prefix for the same pages. */
  web: string;
}

export function authorityScope(authorityId: string): Scope {
  return {
    kind: 'authority',
    orgId: authorityId,
    api: `/api/v1/authorities/${authorityId}/pep`,
    web: `/authorities/${authorityId}/pep`,
  };
}

export function schoolScope(schoolId: string): Scope {
  return {
    kind: 'school',
    orgId: schoolId,
    api: `/api/v1/schools/${schoolId}/pep`,
    web: `/schools/${schoolId}/pep`,
  };
}

export const childPath = (scope: Scope, childId: string) => `${scope.api}/children/${childId}`;
export const pepPath = (scope: Scope, childId: string, pepId: string) =>
  `${childPath(scope, childId)}/peps/${pepId}`;
export const childPage = (scope: Scope, childId: string) => `${scope.web}/children/${childId}`;
export const pepPage = (scope: Scope, childId: string, pepId: string) =>
  `${childPage(scope, childId)}/peps/${pepId}`;

export const dashboardKey = (scope: Scope) => ['pep', scope.orgId, 'dashboard'];
export const childrenKey = (scope: Scope) => ['pep', scope.orgId, 'children'];
export const childKey = (scope: Scope, childId: string) => ['pep', scope.orgId, 'child', childId];
export const pepKey = (scope: Scope, pepId: string) => ['pep', scope.orgId, 'pep', pepId];
export const linksKey = (scope: Scope) => ['pep', scope.orgId, 'links'];
/** Everything PEP-related for one side: invalidated after any change, as figures move together. */
export const scopeKey = (scope: Scope) => ['pep', scope.orgId];

/** The signed-in person's roles in a local authority (the virtual school). */
export function authorityRoles(me: Me, authorityId: string): string[] {
  return me.memberships
    .filter((membership) => membership.orgId === authorityId && membership.orgKind === 'local_authority')
    .map((membership) => membership.role);
}

export function isHead(me: Me, authorityId: string): boolean {
  return authorityRoles(me, authorityId).includes('virtual_school_head');
}

/** Whether this person works in the virtual school itself (not only as an allocated social worker). */
export function isVirtualSchoolStaff(roles: readonly string[]): boolean {
  return roles.includes('virtual_school_head') || roles.includes('virtual_school_officer');
}

export const STATE_NAMES: Record<PepState, string> = {
  draft: 'Draft',
  submitted: 'Submitted for quality assurance',
  returned: 'Returned for amendments',
  approved: 'Approved',
  signed_off: 'Signed off',
};

export const STATE_TAGS: Record<PepState, string> = {
  draft: 'tag--grey',
  submitted: '',
  returned: 'tag--amber',
  approved: '',
  signed_off: 'tag--green',
};

export const MODULE_TITLES: Record<ModuleName, string> = {
  basic_info: 'Basic Info',
  pupil_voice: 'Pupil Voice',
  send: 'SEND',
  meeting: 'Meeting',
  targets: 'Targets & Actions',
  qa: 'QA & Sign Off',
};

export const ACTION_NAMES: Record<Action, string> = {
  submit: 'Submit for quality assurance',
  return: 'Return for amendments',
  approve: 'Approve',
  sign_off: 'Sign off and lock',
};

/** History entries: what someone did, in the past tense. */
export const ACTION_DONE: Record<string, string> = {
  started: 'Started',
  submit: 'Submitted for quality assurance',
  return: 'Returned for amendments',
  approve: 'Approved',
  sign_off: 'Signed off',
  new_version: 'New version started',
};

/** A history entry's action in words: transitions by name, saves by the section saved (`saved:targets`). */
export function actionWords(action: string): string {
  const saved = /^saved:(.+)$/.exec(action)?.[1];
  if (saved !== undefined) {
    const title = (MODULE_TITLES as Record<string, string>)[saved];
    return `Saved ${title ?? saved.replaceAll('_', ' ')}`;
  }
  return ACTION_DONE[action] ?? action.replaceAll('_', ' ');
}

export const ROLE_NAMES: Record<string, string> = {
  designated_teacher: 'Designated teacher',
  social_worker: 'Social worker',
  virtual_school_officer: 'Virtual school officer',
  virtual_school_head: 'Virtual school head',
};

export const PLACEMENT_NAMES: Record<PlacementType, string> = {
  foster_care: 'Foster care',
  kinship_care: 'Kinship care (family or friends)',
  residential: 'Residential (children’s home)',
  placed_with_parents: 'Placed with parents',
  secure_unit: 'Secure unit',
  independent_living: 'Independent or semi-independent living',
  other: 'Other',
};

/** SSDA903 legal statuses (the same list as the server's pep-codes.ts). */
export const LEGAL_STATUS_NAMES: Record<string, string> = {
  C1: 'Interim care order',
  C2: 'Full care order',
  D1: 'Freeing order granted',
  E1: 'Placement order granted',
  J1: 'Remanded to local authority accommodation or youth detention accommodation',
  J2: 'Placed under police protection in local authority accommodation',
  J3: 'Sentenced to a youth rehabilitation order with residence or intensive fostering requirement',
  L1: 'Under police protection and in local authority accommodation',
  L2: 'Emergency protection order',
  L3: 'Under child assessment order and in local authority accommodation',
  V2: 'Single period of accommodation under section 20 (Children Act 1989)',
  V3: 'Accommodated under an agreed series of short-term breaks, when individual episodes of care are recorded',
  V4: 'Accommodated under an agreed series of short-term breaks, when agreements are recorded',
};

export const LEGAL_STATUS_OPTIONS = Object.entries(LEGAL_STATUS_NAMES).map(([value, label]) => ({
  value,
  label: `${value}: ${label}`,
}));

/** The quality assurance checklist (the same list as the server's pep-codes.ts). */
export const QA_CHECKLIST: Record<string, string> = {
  pupil_voice: 'The child’s own views are recorded and acted on',
  smart_targets: 'Targets are specific, measurable and time-bound, each with an owner',
  attainment: 'Current attainment and progress are recorded with the school’s data',
  attendance: 'Attendance and any suspensions are recorded with actions where needed',
  send: 'Special educational needs and the support in place are clear',
  funding: 'Pupil Premium Plus requests are linked to targets',
  meeting: 'The meeting is recorded with attendees and decisions',
};

export const CHECK_NAMES: Record<'met' | 'partly' | 'not_met', string> = {
  met: 'Met',
  partly: 'Partly met',
  not_met: 'Not met',
};

export const RATING_NAMES: Record<'red' | 'amber' | 'green', string> = {
  red: 'Red: not good enough',
  amber: 'Amber: needs improvement',
  green: 'Green: good',
};

export const TARGET_AREA_NAMES: Record<TargetArea, string> = {
  attainment: 'Attainment',
  attendance: 'Attendance',
  wellbeing: 'Wellbeing',
  send: 'Special educational needs',
  transition: 'Transition',
  other: 'Other',
};

export const TARGET_STATUS_NAMES: Record<TargetStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  achieved: 'Achieved',
  not_achieved: 'Not achieved',
};

export const SEN_NAMES: Record<'N' | 'K' | 'E', string> = {
  N: 'No special educational needs',
  K: 'SEN support',
  E: 'Education, health and care (EHC) plan',
};

export const CAPTURED_BY_NAMES: Record<Modules['pupil_voice']['capturedBy'], string> = {
  designated_teacher: 'The designated teacher',
  carer: 'The carer',
  social_worker: 'The social worker',
  child: 'The child themselves',
  other: 'Someone else',
};

export const LINK_NAMES: Record<Child['school']['linkStatus'], string> = {
  none: 'Not on Haven',
  requested: 'Waiting for the school to agree',
  agreed: 'Linked',
  refused: 'The school refused the link',
  ended: 'Link ended',
};

export const ERASE_REASONS: Record<
  'retention_period_ended' | 'request_from_subject' | 'created_in_error',
  string
> = {
  retention_period_ended: 'The retention period has ended',
  request_from_subject: 'The child (or someone for them) asked for erasure',
  created_in_error: 'The record was created in error',
};

export const YEAR_GROUP_OPTIONS = [
  { value: '', label: 'Not known' },
  { value: '-1', label: 'Nursery' },
  { value: '0', label: 'Reception' },
  ...Array.from({ length: 14 }, (_, index) => ({ value: String(index + 1), label: `Year ${index + 1}` })),
];

export function yearGroupName(year: number | null): string {
  if (year === null) {
    return 'Not known';
  }
  return YEAR_GROUP_OPTIONS.find((option) => option.value === String(year))?.label ?? `Year ${year}`;
}

/** Pence as pounds: £1,250.00. */
export function money(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) {
    return '—';
  }
  return (pence / 100).toLocaleString('en-GB', { style: 'currency', currency: 'GBP' });
}

/** Pounds typed by a person ("120", "£1,250.50") as pence, or undefined when it is not an amount. */
export function parsePounds(text: string): number | undefined {
  const cleaned = text.replaceAll(/[£,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) {
    return undefined;
  }
  return Math.round(Number(cleaned) * 100);
}

export function poundsInput(pence: number | null): string {
  return pence === null ? '' : (pence / 100).toFixed(2);
}

/** The current PEP of a child in words that do not rely on colour. */
export function currentWords(current: Child['current']): string {
  if (current === null) {
    return 'No PEP needed this term';
  }
  return current.state === null ? 'Not started' : STATE_NAMES[current.state];
}

export const isPlacement = (value: string): value is PlacementType => Object.hasOwn(PLACEMENT_NAMES, value);
export const isCapturedBy = (value: string): value is Modules['pupil_voice']['capturedBy'] =>
  Object.hasOwn(CAPTURED_BY_NAMES, value);
