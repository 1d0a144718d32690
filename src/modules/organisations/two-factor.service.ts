import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import type { DB } from '../../database.ts';
import { PLATFORM_ORG_ID, recordAudit } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireCurrentPassword } from './current-password.ts';
import * as sessions from './sessions.repository.ts';
import * as twoFactor from './two-factor.repository.ts';
import type { UserRow } from './users.repository.ts';
import * as users from './users.repository.ts';
import { withIdentity, type SignedIn } from './identity.ts';

// RFC 6238 TOTP: 6 digits, 30-second steps, one step of clock drift either way.
const PERIOD = 30;
const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

const secretLocation = (userId: string) => ({ table: 'users', column: 'totp_secret', rowId: userId });

function totp(secretBase32: string): TOTP {
  return new TOTP({
    issuer: 'Haven',
    label: 'Haven',
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

function recoveryDigest(code: string): Buffer {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase(), 'utf8').digest();
}

function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((byte) => RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length] ?? 'A').join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Step one of enrolment: a new secret, shown once as a key and an otpauth:// URI for the QR code. */
export async function startEnrolment(
  services: Services,
  who: SignedIn,
): Promise<{ secret: string; otpauthUri: string }> {
  return withIdentity(services, async (trx) => {
    const user = await users.findUser(trx, who.userId);
    if (user?.totp_enabled_at !== null) {
      throw new AppError(
        409,
        'two_factor_already_on',
        'Two-factor sign-in is already on. Turn it off first to change device.',
      );
    }
    const secret = new Secret({ size: 20 }).base32;
    const sealed = await new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID).encrypt(
      who.userId,
      secretLocation(who.userId),
      secret,
    );
    await twoFactor.setPendingSecret(trx, who.userId, sealed);
    return { secret, otpauthUri: totp(secret).toString() };
  });
}

/**
 * Step two: the current password and a code from the app (proving the device works) turn it on; returns
 * the recovery codes, shown once. This session has now proved both factors; every other session of the
 * account ends (they proved only the password).
 */
export async function confirmEnrolment(
  services: Services,
  who: SignedIn,
  input: { code: string; password: string },
  requestId: string,
): Promise<string[]> {
  await requireCurrentPassword(services, who, input.password, {
    failedAction: 'auth.two_factor_change_failed',
    field: 'password',
    requestId,
  });
  return withIdentity(services, async (trx) => {
    const user = await users.findUser(trx, who.userId);
    if (user === undefined || user.totp_secret === null || user.totp_enabled_at !== null) {
      throw new AppError(409, 'no_enrolment', 'Start two-factor set-up first.');
    }
    const step = await matchingStep(services, trx, user, input.code);
    if (step === undefined) {
      throw new AppError(
        400,
        'invalid_totp',
        'That code is not right. Check the time on your device and try the newest code.',
        [{ field: 'code', message: 'does not match' }],
      );
    }
    await twoFactor.enable(trx, who.userId, step);
    await sessions.revokeOtherSessions(trx, who.userId, who.sessionId);
    await sessions.setSecondFactor(trx, who.sessionId, true);
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await twoFactor.replaceRecoveryCodes(trx, who.userId, codes.map(recoveryDigest));
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: 'auth.two_factor_enabled',
      requestId,
    });
    return codes;
  });
}

/**
 * Turns two-factor sign-in off; needs the current password and a current code (or a recovery code).
 * Every other session of the account ends, and this one no longer counts as two-factor.
 */
export async function disableTwoFactor(
  services: Services,
  who: SignedIn,
  input: { code: string; password: string },
  requestId: string,
): Promise<void> {
  await requireCurrentPassword(services, who, input.password, {
    failedAction: 'auth.two_factor_change_failed',
    field: 'password',
    requestId,
  });
  await withIdentity(services, async (trx) => {
    const user = await users.findUser(trx, who.userId);
    if (user === undefined || user.totp_enabled_at === null) {
      throw new AppError(409, 'two_factor_off', 'Two-factor sign-in is not on.');
    }
    if ((await checkSecondFactor(services, trx, user, input.code)) !== 'verified') {
      throw new AppError(400, 'invalid_totp', 'That code is not right.', [
        { field: 'code', message: 'does not match' },
      ]);
    }
    await twoFactor.disable(trx, who.userId);
    await sessions.revokeOtherSessions(trx, who.userId, who.sessionId);
    await sessions.setSecondFactor(trx, who.sessionId, false);
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: 'auth.two_factor_disabled',
      requestId,
    });
  });
}

/**
 * The second factor at sign-in: a 6-digit code newer than the last one accepted, or an unused recovery
 * code (used up by this call). 'verified' when a code was checked and is right; 'not_enabled' when the
 * account has no second factor (any code given is ignored); 'missing' when none was given but one is
 * needed.
 */
export async function checkSecondFactor(
  services: Services,
  trx: Transaction<DB>,
  user: UserRow,
  code: string | undefined,
): Promise<'verified' | 'not_enabled' | 'missing' | 'invalid'> {
  if (user.totp_enabled_at === null) {
    return 'not_enabled';
  }
  if (code === undefined || code.trim() === '') {
    return 'missing';
  }
  if (/^\d{6}$/.test(code.trim())) {
    const step = await matchingStep(services, trx, user, code.trim());
    return step !== undefined && (await twoFactor.advanceStep(trx, user.id, step)) ? 'verified' : 'invalid';
  }
  return (await twoFactor.useRecoveryCode(trx, user.id, recoveryDigest(code))) ? 'verified' : 'invalid';
}

async function matchingStep(
  services: Services,
  trx: Transaction<DB>,
  user: UserRow,
  code: string,
): Promise<number | undefined> {
  if (user.totp_secret === null) {
    return undefined;
  }
  const secret = await new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID).decrypt(
    secretLocation(user.id),
    user.totp_secret,
  );
  const delta = totp(secret).validate({ token: code, window: 1 });
  return delta === null ? undefined : TOTP.counter({ period: PERIOD }) + delta;
}

export async function recoveryCodesLeft(services: Services, who: SignedIn): Promise<number> {
  return withIdentity(services, (trx) => twoFactor.unusedRecoveryCodes(trx, who.userId));
}
