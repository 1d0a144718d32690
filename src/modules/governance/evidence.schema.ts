import { Type } from 'typebox';
import { Transfers } from './ropa.schema.ts';

// The evidence report's allow-list: figures, roles, dates and staff addresses for the access review;
// pupils only as counts.

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Tally = {
  total: Type.Integer(),
  open: Type.Integer(),
  overdue: Type.Integer(),
  closedOnTime: Type.Integer(),
  closedLate: Type.Integer(),
};
const Requests = Type.Object({
  ...Tally,
  byKind: Type.Array(Type.Object({ kind: Type.String(), ...Tally })),
});
const Outcome = Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]);
// The platform's backups: times, counts and outcomes; no file name, checksum or error text.
const Backups = Type.Object({
  lastSuccessfulBackup: Nullable(Type.String({ format: 'date-time' })),
  lastSevenDays: Type.Object({ succeeded: Type.Integer(), failed: Type.Integer() }),
  lastRestoreTest: Nullable(
    Type.Object({ testedAt: Type.String({ format: 'date-time' }), outcome: Outcome }),
  ),
  lastSuccessfulRestoreTest: Nullable(Type.String({ format: 'date-time' })),
});
// A school's breach notices: reference, kind and dates. Never the notice's text (it describes people).
const SchoolBreaches = Type.Object({
  notices: Type.Array(
    Type.Object({
      id: Type.String(),
      reference: Type.String(),
      kind: Type.Union([Type.Literal('notice'), Type.Literal('update'), Type.Literal('closure')]),
      sentAt: Type.String({ format: 'date-time' }),
      acknowledged: Type.Boolean(),
      acknowledgedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
});
// The register in figures; no breach is named.
const PlatformBreaches = Type.Object({
  total: Type.Integer(),
  open: Type.Integer(),
  closed: Type.Integer(),
  ico: Type.Object({ notified: Type.Integer(), notNotified: Type.Integer(), pending: Type.Integer() }),
  schools: Type.Object({
    targetHours: Type.Integer(),
    toldOnTime: Type.Integer(),
    toldLate: Type.Integer(),
    waiting: Type.Integer(),
    overdue: Type.Integer(),
  }),
});
const Runs = {
  runs: Type.Array(
    Type.Object({ status: Type.String(), startedAt: Type.String(), finishedAt: Nullable(Type.String()) }),
  ),
  lastSuccessfulRun: Nullable(Type.String()),
};

export const SchoolEvidenceResponse = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  school: Type.Object({ id: Type.String(), name: Type.String(), urn: Nullable(Type.String()) }),
  encryption: Type.Object({
    algorithm: Type.String(),
    fields: Type.Array(
      Type.Object({
        table: Type.String(),
        column: Type.String(),
        what: Type.String(),
        values: Type.Integer(),
      }),
    ),
    keys: Type.Array(
      Type.Object({
        purpose: Type.String(),
        version: Type.Integer(),
        state: Type.String(),
        masterKeyId: Type.String(),
        createdAt: Type.String(),
      }),
    ),
    lastRotation: Nullable(Type.String()),
    pupilKeys: Type.Integer(),
  }),
  access: Type.Array(
    Type.Object({
      userId: Type.String(),
      email: Type.String(),
      roles: Type.Array(Type.String()),
      status: Type.String(),
      twoFactor: Type.Boolean(),
    }),
  ),
  twoFactor: Type.Object({ staff: Type.Integer(), withTwoFactor: Type.Integer(), required: Type.Boolean() }),
  supportGrants: Type.Array(
    Type.Object({
      engineer: Type.String(),
      access: Type.String(),
      ticket: Type.String(),
      startsAt: Type.String(),
      expiresAt: Type.String(),
      status: Type.String(),
      requests: Type.Integer(),
    }),
  ),
  requests: Requests,
  retention: Type.Object({
    certificates: Type.Integer(),
    recent: Type.Array(Type.Object({ id: Type.String(), rule: Type.String(), createdAt: Type.String() })),
    ...Runs,
  }),
  backups: Backups,
  breaches: SchoolBreaches,
  transfers: Transfers,
});

export const PlatformEvidenceResponse = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  schools: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      status: Type.String(),
      staff: Type.Integer(),
      withTwoFactor: Type.Integer(),
      dataKeyVersion: Nullable(Type.Integer()),
      lastRotation: Nullable(Type.String()),
      pupilKeys: Type.Integer(),
      requests: Requests,
      certificates: Type.Integer(),
      supportGrants: Type.Integer(),
    }),
  ),
  requests: Requests,
  retention: Type.Object(Runs),
  supportGrants: Type.Object({ total: Type.Integer(), live: Type.Integer() }),
  backups: Backups,
  breaches: PlatformBreaches,
  transfers: Transfers,
});
