import { Type, type Static, type TSchema } from 'typebox';
import {
  IDENTITY_STATUSES,
  RELATIONSHIPS,
  REQUEST_KINDS,
  REQUEST_STATUSES,
  SUBJECT_TYPES,
} from './requests.tables.ts';

// The data subject requests API. Be careful what you expose here: a request names a person who asked
// (the requester's name and contact) and what they wrote. Those appear only where a schema names them.

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
// Years 1900–2099: a request (or a birth) outside them is a typing mistake, answered as a field error.
const CalendarDate = Type.String({ format: 'date', pattern: '^(19|20)\\d{2}-', description: 'yyyy-mm-dd' });
const Uuid = Type.String({ format: 'uuid' });
const Note = Type.String({ minLength: 1, maxLength: 2000 });

export const SchoolParams = Type.Object({ schoolId: Uuid });
export const RequestParams = Type.Object({ schoolId: Uuid, requestId: Uuid });

export const RequestKind = Type.Enum(REQUEST_KINDS);
export const SubjectType = Type.Enum(SUBJECT_TYPES);
export const RequestStatus = Type.Enum(REQUEST_STATUSES);

export const Requester = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: 'Who made the request' }),
  contact: Type.String({
    minLength: 1,
    maxLength: 300,
    description: 'How to reach them (e-mail or postal address)',
  }),
  relationship: Type.Enum(RELATIONSHIPS, { description: 'The requester is the subject, or acts for them' }),
});

export const NewRequestBody = Type.Object({
  kind: RequestKind,
  subjectType: SubjectType,
  subjectId: Type.Optional(
    Type.String({
      format: 'uuid',
      description: 'The pupil (or staff user) the request is about, once known',
    }),
  ),
  requester: Requester,
  receivedOn: CalendarDate,
  description: Type.Optional(Type.String({ maxLength: 5000, description: 'What was asked, in their words' })),
  identityStatus: Type.Optional(Type.Enum(IDENTITY_STATUSES)),
  assigneeId: Type.Optional(Uuid),
});

export const ListQuery = Type.Object({
  status: Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('all')], {
    default: 'open',
  }),
  kind: Type.Optional(RequestKind),
});

const Urgency = Type.Enum(['overdue', 'due_soon', 'on_track', 'paused', 'closed']);

export const RequestSummary = Type.Object({
  id: Uuid,
  reference: Type.String(),
  kind: RequestKind,
  subjectType: SubjectType,
  subjectId: Nullable(Type.String({ description: 'Pseudonymous id of the subject' })),
  status: RequestStatus,
  receivedOn: CalendarDate,
  receivedVia: Type.Union([Type.Literal('school'), Type.Literal('platform')]),
  dueOn: CalendarDate,
  firstDueOn: CalendarDate,
  daysLeft: Type.Integer({ description: 'Negative when overdue' }),
  urgency: Urgency,
  identityStatus: Type.Enum(IDENTITY_STATUSES),
  pauseReason: Nullable(Type.Union([Type.Literal('identity'), Type.Literal('clarification')])),
  pausedSince: Nullable(CalendarDate),
  extensionMonths: Type.Integer(),
  assigneeId: Nullable(Uuid),
});

export const ListResponse = Type.Object({
  requests: Type.Array(RequestSummary, { description: 'By due date' }),
  counts: Type.Object({
    open: Type.Integer(),
    overdue: Type.Integer(),
    dueSoon: Type.Integer({ description: 'Due within 7 days' }),
    paused: Type.Integer(),
  }),
});

export const RequestEvent = Type.Object({
  kind: Type.String(),
  statusFrom: Nullable(RequestStatus),
  statusTo: Nullable(RequestStatus),
  note: Nullable(Type.String()),
  details: Type.Record(
    Type.String(),
    Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
  ),
  actorId: Type.String(),
  actorLabel: Type.String({ description: 'Who did it: a staff address, or Haven for automatic steps' }),
  occurredAt: Type.String({ format: 'date-time' }),
});

export const RequestDetails = Type.Object({
  ...RequestSummary.properties,
  requester: Requester,
  description: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
  subjectLabel: Nullable(Type.String({ description: 'The pupil’s name, for staff handling the request' })),
  certificateId: Nullable(Uuid),
  history: Type.Array(RequestEvent),
  actions: Type.Array(Type.String(), { description: 'What may be done next, by this person' }),
});

export const PauseBody = Type.Object({
  reason: Type.Union([Type.Literal('identity'), Type.Literal('clarification')]),
  note: Type.Optional(Note),
  on: Type.Optional(CalendarDate),
});
export const ResumeBody = Type.Object({ on: Type.Optional(CalendarDate), note: Type.Optional(Note) });
export const ExtendBody = Type.Object({
  months: Type.Integer({ minimum: 1, maximum: 2, description: 'Total further months (at most two)' }),
  reason: Note,
});
export const IdentityBody = Type.Object({ status: Type.Enum(IDENTITY_STATUSES), note: Type.Optional(Note) });
export const AssignBody = Type.Object({ assigneeId: Nullable(Uuid) });
export const SubjectBody = Type.Object({ subjectId: Uuid });
export const CloseBody = Type.Object({ note: Note });
export const OptionalNoteBody = Type.Object({ note: Type.Optional(Note) });

export const Assignee = Type.Object({ userId: Uuid, email: Type.String() });
export const AssigneesResponse = Type.Object({ assignees: Type.Array(Assignee) });

export type NewRequest = Static<typeof NewRequestBody>;
export type RequestSummaryView = Static<typeof RequestSummary>;
export type RequestDetailsView = Static<typeof RequestDetails>;
export type RequestListView = Static<typeof ListResponse>;

export const RectifyBody = Type.Object({
  changes: Type.Array(
    Type.Object({
      field: Type.Enum([
        'forename',
        'surname',
        'preferred_forename',
        'preferred_surname',
        'dob',
        'address',
        'year_group',
        'sex',
        'ethnicity',
        'fsm',
        'sen',
        'eal',
      ]),
      value: Nullable(Type.String({ maxLength: 500 })),
    }),
    { minItems: 1, maxItems: 12 },
  ),
  reason: Note,
});
export const LimitBody = Type.Object({
  purpose: Type.Enum(['all', 'analysis', 'apps'], {
    description: 'What the objection or withdrawal stops (a restriction always stops everything)',
  }),
  note: Type.Optional(Note),
});
export const ReasonBody = Type.Object({ reason: Note });
export const ErasureImpactResponse = Type.Object({
  rows: Type.Record(Type.String(), Type.Integer(), { description: 'Rows about the pupil, by table' }),
  shared: Type.Array(
    Type.Object({ source: Type.String(), description: Type.String(), fate: Type.String() }),
    { description: 'Records that also concern other people: redact by hand' },
  ),
});
export const CertificateParams = Type.Object({ schoolId: Uuid, certificateId: Uuid });
export const CertificateResponse = Type.Object({
  certificate: Uuid,
  school: Type.Object({ id: Uuid, name: Type.String() }),
  request: Type.Object({ id: Uuid, reference: Type.String(), receivedOn: CalendarDate }),
  subject: Type.Object({ type: Type.String(), pseudonymousId: Uuid }),
  approvedBy: Type.String(),
  approvedAt: Type.String(),
  executedBy: Type.String(),
  executedAt: Type.String(),
  deleted: Type.Record(Type.String(), Type.Integer()),
  subjectKeyDestroyed: Type.Boolean(),
  blindIndexesDeleted: Type.Integer(),
  leftForManualRedaction: Type.Array(Type.String()),
  requestTextCleared: Type.Integer({
    description: 'Descriptions and notes of requests about the pupil cleared',
  }),
  nextSteps: Type.String(),
  backups: Type.String(),
  digest: Type.String({ description: 'SHA-256 of the certificate as issued' }),
});
export const PupilParams = Type.Object({ schoolId: Uuid, pupilId: Uuid });
const LimitKind = Type.Enum(['restriction', 'objection', 'consent_withdrawn']);
const LimitPurpose = Type.Enum(['all', 'analysis', 'apps']);
export const LimitsResponse = Type.Object({
  limits: Type.Array(
    Type.Object({ kind: LimitKind, purpose: LimitPurpose, since: Type.String(), requestId: Nullable(Uuid) }),
  ),
});
export const LiftBody = Type.Object({ kind: LimitKind, purpose: LimitPurpose, reason: Note });

export const RoutedRequestBody = Type.Object({
  schoolId: Type.String({ format: 'uuid', description: 'The school that is the controller of the data' }),
  kind: RequestKind,
  subjectType: SubjectType,
  requester: Requester,
  receivedOn: CalendarDate,
  description: Type.Optional(Type.String({ maxLength: 5000, description: 'What was asked, in their words' })),
});

export const DeadlineQuery = Type.Object({ receivedOn: CalendarDate });
export const DeadlineResponse = Type.Object({
  receivedOn: CalendarDate,
  dueOn: CalendarDate,
  latestExtendedDueOn: CalendarDate,
  extendBy: CalendarDate,
});
