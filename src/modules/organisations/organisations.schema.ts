import { Type } from 'typebox';

export const SchoolParams = Type.Object({ schoolId: Type.String({ format: 'uuid' }) });

export const SchoolSettings = Type.Object({
  timezone: Type.String(),
  academicYearStartMonth: Type.Integer({ minimum: 1, maximum: 12 }),
  requireTwoFactor: Type.Boolean({ description: 'Staff must use two-factor sign-in to reach this school' }),
});

export const SchoolSettingsUpdate = Type.Partial(
  Type.Object({
    academicYearStartMonth: Type.Integer({ minimum: 1, maximum: 12 }),
    requireTwoFactor: Type.Boolean(),
  }),
  { minProperties: 1 },
);

export const StaffMember = Type.Object({
  userId: Type.String({ format: 'uuid' }),
  email: Type.String({ description: 'Personal data: staff work address' }),
  roles: Type.Array(Type.String()),
  status: Type.String(),
  twoFactor: Type.Boolean(),
});

export const PlatformSchool = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  urn: Type.Union([Type.String(), Type.Null()]),
  laCode: Type.Union([Type.String(), Type.Null()]),
  establishmentNumber: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const NewSchoolBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  urn: Type.Optional(Type.String({ maxLength: 20, description: '6-digit Unique Reference Number' })),
  laCode: Type.Optional(Type.String({ maxLength: 10, description: '3-digit local authority code' })),
  establishmentNumber: Type.Optional(Type.String({ maxLength: 10, description: '4-digit DfE number' })),
  adminEmail: Type.Optional(
    Type.String({
      minLength: 3,
      maxLength: 254,
      description: 'The school’s first administrator: e-mailed a link to set up their account',
    }),
  ),
});

export const KeyStatusResponse = Type.Object({
  currentMasterKeyId: Type.String(),
  masterKeysInUse: Type.Array(Type.Object({ id: Type.String(), loaded: Type.Boolean() })),
  schools: Type.Array(
    Type.Object({
      schoolId: Type.String({ format: 'uuid' }),
      rotationInProgress: Type.Boolean(),
      keys: Type.Array(
        Type.Object({
          purpose: Type.String(),
          version: Type.Integer(),
          state: Type.String(),
          masterKeyId: Type.String(),
          subjectKeys: Type.Integer({ description: 'For data keys: pupil keys it wraps' }),
        }),
      ),
    }),
  ),
});
