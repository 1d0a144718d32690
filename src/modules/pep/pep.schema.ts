import { Type, type Static } from 'typebox';
import { PLACEMENT_TYPES, TARGET_AREAS, TARGET_STATUSES } from './pep-codes.ts';
import { PEP_ACTIONS, PEP_MODULES, PEP_ROLES } from './pep.policy.ts';

// Personal Education Plans. Everything here but ids, states, dates and money is personal data about a
// looked-after child: it is shown only to the child's virtual school, their allocated social worker and
// the designated teacher of the school the child's record is linked to.

const Uuid = Type.String({ format: 'uuid' });
const Day = Type.String({ format: 'date', description: 'yyyy-mm-dd' });
const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description === undefined ? {} : { description }) });
const Pence = Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'Pounds × 100' });

export const AuthorityParams = Type.Object({ authorityId: Uuid });
export const AuthorityChildParams = Type.Object({ authorityId: Uuid, childId: Uuid });
export const AuthorityPepParams = Type.Object({ authorityId: Uuid, childId: Uuid, pepId: Uuid });
export const SchoolParams = Type.Object({ schoolId: Uuid });
export const SchoolChildParams = Type.Object({ schoolId: Uuid, childId: Uuid });
export const SchoolPepParams = Type.Object({ schoolId: Uuid, childId: Uuid, pepId: Uuid });

// ---- Modules ---------------------------------------------------------------------------------------

export const BasicInfo = Type.Object({
  placementType: Type.Enum([...PLACEMENT_TYPES]),
  placementSince: Type.Union([Type.Null(), Day]),
  carer: Text(200, 'Who the child lives with'),
  socialWorker: Text(200),
  designatedTeacher: Text(200),
  schoolName: Text(200),
  yearGroup: Type.Union([Type.Null(), Type.Integer({ minimum: -1, maximum: 14 })]),
  legalStatus: Type.String({ pattern: '^[A-Z][0-9]$', description: 'SSDA903 legal status code' }),
  attendancePercent: Type.Union([Type.Null(), Type.Number({ minimum: 0, maximum: 100 })]),
  sessionsMissed: Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 1000 })]),
  suspensions: Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 100 })]),
  keyDates: Type.Array(Type.Object({ label: Text(100), date: Day }), { maxItems: 20 }),
});

export const PupilVoice = Type.Object({
  capturedBy: Type.Enum(['designated_teacher', 'carer', 'social_worker', 'child', 'other']),
  capturedOn: Type.Union([Type.Null(), Day]),
  inTheirWords: Text(5000, 'The child’s own words'),
  goingWell: Text(5000, 'What is going well'),
  wouldHelp: Text(5000, 'What would help'),
});

export const Send = Type.Object({
  provision: Type.Enum(['N', 'K', 'E'], { description: 'N none, K SEN support, E EHC plan' }),
  needs: Text(2000),
  ehcPlanIssuedOn: Type.Union([Type.Null(), Day]),
  ehcPlanReviewDueOn: Type.Union([Type.Null(), Day]),
  supportInPlace: Text(5000),
});

export const Meeting = Type.Object({
  heldOn: Type.Union([Type.Null(), Day]),
  attendees: Type.Array(Type.Object({ name: Text(200), role: Text(100) }), { maxItems: 30 }),
  notes: Text(10_000),
  decisions: Text(5000),
});

export const Target = Type.Object({
  id: Uuid,
  area: Type.Enum([...TARGET_AREAS]),
  description: Type.String({ minLength: 1, maxLength: 2000 }),
  successCriteria: Text(2000),
  owner: Text(200),
  dueOn: Type.Union([Type.Null(), Day]),
  status: Type.Enum([...TARGET_STATUSES]),
  fundingRequestedPence: Pence,
  fundingApprovedPence: Type.Union([Type.Null(), Pence], {
    description: 'Set by the virtual school only',
  }),
  progressNote: Text(2000),
  carriedFromTerm: Type.Union([Type.Null(), Type.String()]),
});
export type TargetValue = Static<typeof Target>;

export const Targets = Type.Object({ targets: Type.Array(Target, { maxItems: 30 }) });

export const Qa = Type.Object({
  rating: Type.Enum(['red', 'amber', 'green']),
  checklist: Type.Record(Type.String({ pattern: '^[a-z_]+$' }), Type.Enum(['met', 'partly', 'not_met'])),
  comments: Text(5000),
});

export const MODULE_SCHEMAS = {
  basic_info: BasicInfo,
  pupil_voice: PupilVoice,
  send: Send,
  meeting: Meeting,
  targets: Targets,
  qa: Qa,
} as const;

export interface ModuleValues {
  basic_info: Static<typeof BasicInfo>;
  pupil_voice: Static<typeof PupilVoice>;
  send: Static<typeof Send>;
  meeting: Static<typeof Meeting>;
  targets: Static<typeof Targets>;
  qa: Static<typeof Qa>;
}

// ---- Children --------------------------------------------------------------------------------------

export const CareDetails = Type.Object({
  placementType: Type.Enum([...PLACEMENT_TYPES]),
  carer: Text(200),
  socialWorker: Text(200),
});

export const NewChildBody = Type.Object({
  forename: Type.String({ minLength: 1, maxLength: 100 }),
  surname: Type.String({ minLength: 1, maxLength: 100 }),
  dob: Day,
  upn: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 13 })])),
  yearGroup: Type.Union([Type.Null(), Type.Integer({ minimum: -1, maximum: 14 })]),
  legalStatus: Type.String({ pattern: '^[A-Z][0-9]$', description: 'SSDA903 legal status code' }),
  enteredCareOn: Day,
  care: CareDetails,
  socialWorkerId: Type.Optional(Type.Union([Type.Null(), Uuid])),
  school: Type.Union([
    Type.Object({ schoolId: Uuid }, { description: 'A school on Haven: it is asked to agree the link' }),
    Type.Object(
      { name: Type.String({ minLength: 1, maxLength: 200 }) },
      { description: 'A school not on Haven' },
    ),
  ]),
});
export type NewChild = Static<typeof NewChildBody>;

export const ChildUpdateBody = Type.Object({
  yearGroup: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: -1, maximum: 14 })])),
  legalStatus: Type.Optional(Type.String({ pattern: '^[A-Z][0-9]$' })),
  care: Type.Optional(CareDetails),
  socialWorkerId: Type.Optional(Type.Union([Type.Null(), Uuid])),
  leftCareOn: Type.Optional(Type.Union([Type.Null(), Day])),
  school: Type.Optional(NewChildBody.properties.school),
});
export type ChildUpdate = Static<typeof ChildUpdateBody>;

const LinkStatus = Type.Enum(['none', 'requested', 'agreed', 'refused', 'ended']);
const PepState = Type.Enum(['draft', 'submitted', 'returned', 'approved', 'signed_off']);
const Rating = Type.Union([Type.Null(), Type.Enum(['red', 'amber', 'green'])]);

export const CurrentPep = Type.Object({
  term: Type.String(),
  kind: Type.Enum(['initial', 'review']),
  dueOn: Day,
  pepId: Type.Union([Type.Null(), Uuid]),
  state: Type.Union([Type.Null(), PepState]),
  overdue: Type.Boolean(),
  qaRating: Rating,
});

export const ChildSummary = Type.Object({
  id: Uuid,
  reference: Type.String({ description: 'A short reference for messages (never a name)' }),
  name: Type.String(),
  yearGroup: Type.Union([Type.Null(), Type.Integer()]),
  enteredCareOn: Day,
  leftCareOn: Type.Union([Type.Null(), Day]),
  school: Type.Object({
    id: Type.Union([Type.Null(), Uuid]),
    name: Type.Union([Type.Null(), Type.String()]),
    linkStatus: LinkStatus,
  }),
  current: Type.Union([Type.Null(), CurrentPep]),
});
export type ChildSummaryView = Static<typeof ChildSummary>;

export const SchoolData = Type.Object({
  available: Type.Boolean({ description: 'False when the school record is not linked or no longer exists' }),
  yearGroup: Type.Union([Type.Null(), Type.Integer()]),
  sen: Type.Union([Type.Null(), Type.Enum(['N', 'K', 'E'])]),
  ks2: Type.Union([
    Type.Null(),
    Type.Object({
      readingScore: Type.Union([Type.Number(), Type.Null()]),
      mathsScore: Type.Union([Type.Number(), Type.Null()]),
    }),
  ]),
  assessmentPoint: Type.Union([
    Type.Null(),
    Type.Object({ name: Type.String(), date: Type.Union([Day, Type.Null()]) }),
  ]),
  subjects: Type.Array(
    Type.Object({
      subject: Type.String(),
      achieved: Type.Union([Type.Null(), Type.String()]),
      target: Type.Union([Type.Null(), Type.String()]),
    }),
  ),
});
export type SchoolDataView = Static<typeof SchoolData>;

export const PepListEntry = Type.Object({
  id: Uuid,
  term: Type.String(),
  termLabel: Type.String(),
  kind: Type.Enum(['initial', 'review']),
  version: Type.Integer(),
  state: PepState,
  dueOn: Day,
  qaRating: Rating,
  signedOffAt: Type.Union([Type.Null(), Type.String({ format: 'date-time' })]),
});

export const ChildDetail = Type.Object({
  ...ChildSummary.properties,
  forename: Type.String(),
  surname: Type.String(),
  dob: Day,
  upn: Type.Union([Type.Null(), Type.String()]),
  legalStatus: Type.Object({ code: Type.String(), label: Type.String() }),
  care: CareDetails,
  socialWorkerId: Type.Union([Type.Null(), Uuid]),
  schoolData: SchoolData,
  peps: Type.Array(PepListEntry),
  initialDueOn: Day,
});
export type ChildDetailView = Static<typeof ChildDetail>;

export const ChildrenResponse = Type.Array(ChildSummary);

// ---- PEP documents ---------------------------------------------------------------------------------

export const NewPepBody = Type.Object({
  term: Type.String({ pattern: '^[0-9]{4}-(autumn|spring|summer)$', description: "e.g. '2026-autumn'" }),
});

const Event = Type.Object({
  action: Type.String(),
  role: Type.String(),
  at: Type.String({ format: 'date-time' }),
  comment: Type.Union([Type.Null(), Type.String()]),
});

export const PepView = Type.Object({
  id: Uuid,
  child: Type.Object({ id: Uuid, name: Type.String(), reference: Type.String() }),
  term: Type.String(),
  termLabel: Type.String(),
  kind: Type.Enum(['initial', 'review']),
  version: Type.Integer(),
  state: PepState,
  stateInWords: Type.String(),
  dueOn: Day,
  overdue: Type.Boolean(),
  modules: Type.Object({
    basic_info: Type.Union([Type.Null(), BasicInfo]),
    pupil_voice: Type.Union([Type.Null(), PupilVoice]),
    send: Type.Union([Type.Null(), Send]),
    meeting: Type.Union([Type.Null(), Meeting]),
    targets: Type.Union([Type.Null(), Targets]),
    qa: Type.Union([Type.Null(), Qa]),
  }),
  funding: Type.Object({ requestedPence: Type.Integer(), approvedPence: Type.Integer() }),
  signedOff: Type.Union([Type.Null(), Type.Object({ at: Type.String({ format: 'date-time' }) })]),
  history: Type.Array(Event),
  you: Type.Object({
    roles: Type.Array(Type.Enum([...PEP_ROLES])),
    editable: Type.Array(Type.Enum([...PEP_MODULES])),
    actions: Type.Array(Type.Enum([...PEP_ACTIONS])),
    canStartNextVersion: Type.Boolean(),
  }),
});
export type PepViewValue = Static<typeof PepView>;

export const TransitionBody = Type.Object({
  action: Type.Enum([...PEP_ACTIONS]),
  comment: Type.Optional(Type.String({ maxLength: 5000, description: 'Required when returning a PEP' })),
});

export const Created = Type.Object({ id: Uuid });

// ---- The virtual school ----------------------------------------------------------------------------

export const Dashboard = Type.Object({
  term: Type.String(),
  termLabel: Type.String(),
  children: Type.Integer({ description: 'Children in care now' }),
  byState: Type.Object({
    not_started: Type.Integer(),
    draft: Type.Integer(),
    submitted: Type.Integer(),
    returned: Type.Integer(),
    approved: Type.Integer(),
    signed_off: Type.Integer(),
  }),
  overdue: Type.Integer(),
  dueSoon: Type.Integer(),
  completionPercent: Type.Number({ description: 'Signed off ÷ expected PEPs this term' }),
  qa: Type.Object({
    red: Type.Integer(),
    amber: Type.Integer(),
    green: Type.Integer(),
    unrated: Type.Integer(),
  }),
  funding: Type.Object({ requestedPence: Type.Integer(), approvedPence: Type.Integer() }),
  linkRequests: Type.Object({ waiting: Type.Integer(), refused: Type.Integer() }),
  attention: Type.Array(ChildSummary, { description: 'Overdue or due soon, earliest first' }),
});

export const SchoolOption = Type.Object({ id: Uuid, name: Type.String() });
export const SchoolOptions = Type.Array(SchoolOption);
export const StaffOption = Type.Object({ id: Uuid, email: Type.String() });
export const StaffOptions = Type.Array(StaffOption);

// ---- The school's side -----------------------------------------------------------------------------

export const LinkRequest = Type.Object({
  childId: Uuid,
  authority: Type.Object({ id: Uuid, name: Type.String() }),
  name: Type.String(),
  dob: Day,
  upn: Type.Union([Type.Null(), Type.String()]),
  yearGroup: Type.Union([Type.Null(), Type.Integer()]),
  status: LinkStatus,
  suggestedPupilId: Type.Union([Type.Null(), Uuid], { description: 'The school pupil with the same UPN' }),
});
export const LinkRequests = Type.Object({
  waiting: Type.Array(LinkRequest),
  linked: Type.Array(ChildSummary),
});

export const AgreeBody = Type.Object({ pupilId: Uuid });

export const ErasureBody = Type.Object({
  reason: Type.Enum(['retention_period_ended', 'request_from_subject', 'created_in_error'], {
    description: 'Why the record is erased (kept in the audit log)',
  }),
  confirm: Type.Literal('erase', { description: "Type 'erase' to confirm" }),
});
