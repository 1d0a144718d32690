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
