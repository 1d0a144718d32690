import { Type } from 'typebox';

// Request and response schemas: responses are allow-lists, so nothing else can leave.
export const LoginBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  totp: Type.Optional(
    Type.String({
      maxLength: 20,
      description: 'The 6-digit code, or a recovery code, when two-factor sign-in is on',
    }),
  ),
});

/** Turning two-factor sign-in on or off: a code from the app (or a recovery code) and the password. */
export const TwoFactorChangeBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 20 }),
  password: Type.String({ minLength: 1, maxLength: 1024, description: 'The current password' }),
});

export const EnrolmentResponse = Type.Object({
  secret: Type.String({ description: 'Base32 key for manual entry; shown once' }),
  otpauthUri: Type.String({ description: 'otpauth:// URI for a QR code; shown once' }),
});

export const RecoveryCodesResponse = Type.Object({
  recoveryCodes: Type.Array(Type.String(), {
    description: 'Each works once if the device is lost; shown once',
  }),
});

export const LoginResponse = Type.Object({
  userId: Type.String({ format: 'uuid' }),
  expiresAt: Type.String({ format: 'date-time', description: 'When the session ends at the latest' }),
});

export const MeResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  twoFactor: Type.Boolean(),
  email: Type.String({ description: 'Personal data: the signed-in user’s own address' }),
  memberships: Type.Array(
    Type.Object({
      orgId: Type.String({ format: 'uuid' }),
      orgKind: Type.String(),
      orgName: Type.String(),
      role: Type.String(),
    }),
  ),
  schools: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      name: Type.String(),
      permissions: Type.Array(Type.String(), { description: 'What this person may do in the school' }),
    }),
    { description: 'The schools this person works in, directly or through a trust' },
  ),
  idleMinutes: Type.Integer({ description: 'A session ends after this many minutes without a request' }),
});

export const SessionsResponse = Type.Array(
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    createdAt: Type.String({ format: 'date-time' }),
    lastSeenAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
    current: Type.Boolean(),
  }),
);

export const SessionParams = Type.Object({ sessionId: Type.String({ format: 'uuid' }) });

export const PasswordResetBody = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) });

export const AcceptedResponse = Type.Object({ message: Type.String() });

const LinkToken = Type.String({
  minLength: 20,
  maxLength: 100,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'The token from the link’s #token= part',
});

export const LinkBody = Type.Object({ token: LinkToken });

export const LinkResponse = Type.Object({
  purpose: Type.Union([Type.Literal('password_reset'), Type.Literal('account_setup')]),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const SetPasswordBody = Type.Object({
  token: LinkToken,
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

export const ChangePasswordBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
  newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
});
