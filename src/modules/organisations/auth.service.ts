import { randomBytes } from 'node:crypto';
import { PLATFORM_ORG_ID, recordAudit } from '../../platform/audit/audit-log.ts';
import { verifyPassword } from '../../platform/crypto/passwords.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import * as sessions from './sessions.repository.ts';
import { checkSecondFactor } from './two-factor.service.ts';
import { normaliseEmail, tokenDigest, withIdentity, type SignedIn } from './identity.ts';
import { loadActor } from './users.service.ts';
import * as organisations from './organisations.repository.ts';
import { permissionsIn, type Actor, type Permission } from './roles.policy.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import * as users from './users.repository.ts';

export interface SignInResult {
  token: string;
  userId: string;
  expiresAt: Date;
}

const BAD_CREDENTIALS = 'The e-mail address or password is not right.';
// Touching last_seen_at on every request would write on every read; a minute's precision is enough.
const TOUCH_AFTER_MS = 60_000;

/**
 * Checks an e-mail and password. The same answer, and the same work (a password hash is always
 * verified), whether or not the address has an account; repeated failures lock the address for a while.
 * Every outcome is audited by pseudonymous user id, never by address.
 */
export async function signIn(
  services: Services,
  input: { email: string; password: string; totp?: string | undefined },
  requestId: string,
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const now = new Date();
  const { digest, user, lockedUntil } = await withIdentity(services, async (trx) => {
    await services.keyring.createSchoolKeys(trx, PLATFORM_ORG_ID);
    const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
    const emailDigest = await vault.digest('sign_in', email);
    const failures = await sessions.findFailures(trx, emailDigest);
    const userId = await vault.lookup('email', email);
    return {
      digest: emailDigest,
      user: userId === undefined ? undefined : await users.findUser(trx, userId),
      lockedUntil: activeLock(failures, now),
    };
  });
  // Outside any transaction: argon2 takes a while, and must not hold a connection.
  const passwordOk = await verifyPassword(user?.password_hash, input.password);
  if (lockedUntil !== undefined) {
    await auditRefusal(services, user?.id, 'locked', requestId);
    throw tooManyAttempts(lockedUntil);
  }
  if (!passwordOk || user === undefined || user.status !== 'active') {
    const reason =
      user === undefined ? 'unknown_address' : user.status !== 'active' ? 'disabled' : 'wrong_password';
    const locked = await withIdentity(services, async (trx) => {
      const until = new Date(now.getTime() + services.auth.loginLockMinutes * 60_000);
      const lock = await sessions.recordFailure(trx, digest, services.auth.loginMaxFailures, until);
      await recordAudit(trx, signInEvent(user?.id, 'auth.sign_in_failed', 'denied', requestId, { reason }));
      return lock;
    });
    if (locked !== null && locked > now) {
      throw tooManyAttempts(locked);
    }
    throw new AppError(401, 'invalid_credentials', BAD_CREDENTIALS);
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + services.auth.sessionMaxHours * 3_600_000);
  const outcome = await withIdentity(services, async (trx) => {
    // The early check ran before the slow verify: attempts fired in parallel all passed it, and those
    // that failed meanwhile may have locked the address since. Checked again under a row lock, so no
    // guess is let in once enough of them have failed.
    const lockedNow = activeLock(await sessions.findFailuresForUpdate(trx, digest), new Date());
    if (lockedNow !== undefined) {
      await recordAudit(
        trx,
        signInEvent(user.id, 'auth.sign_in_failed', 'denied', requestId, { reason: 'locked' }),
      );
      return { kind: 'locked' as const, until: lockedNow };
    }
    const second = await checkSecondFactor(services, trx, user, input.totp);
    if (second === 'missing') {
      return { kind: 'totp_required' as const };
    }
    if (second === 'invalid') {
      const until = new Date(now.getTime() + services.auth.loginLockMinutes * 60_000);
      const lock = await sessions.recordFailure(trx, digest, services.auth.loginMaxFailures, until);
      await recordAudit(
        trx,
        signInEvent(user.id, 'auth.sign_in_failed', 'denied', requestId, { reason: 'wrong_code' }),
      );
      return { kind: 'invalid_totp' as const, lock };
    }
    await sessions.clearFailures(trx, digest);
    const session = await sessions.insertSession(trx, {
      userId: user.id,
      tokenHash: tokenDigest(token),
      expiresAt,
      secondFactor: second === 'verified',
    });
    await recordAudit(trx, {
      ...signInEvent(user.id, 'auth.sign_in', 'success', requestId, {}),
      target: `session:${session.id}`,
    });
    return { kind: 'ok' as const };
  });
  if (outcome.kind === 'locked') {
    throw tooManyAttempts(outcome.until);
  }
  if (outcome.kind === 'totp_required') {
    throw new AppError(
      401,
      'totp_required',
      'Enter the 6-digit code from your authenticator app (or a recovery code).',
      [{ field: 'totp', message: 'is required for this account' }],
    );
  }
  if (outcome.kind === 'invalid_totp') {
    if (outcome.lock !== null && outcome.lock > now) {
      throw tooManyAttempts(outcome.lock);
    }
    throw new AppError(
      401,
      'invalid_totp',
      'That code is not right. Use the newest code from your app, or a recovery code.',
      [{ field: 'totp', message: 'does not match' }],
    );
  }
  return { token, userId: user.id, expiresAt };
}

function activeLock(failures: { locked_until: Date | null } | undefined, now: Date): Date | undefined {
  const until = failures?.locked_until ?? null;
  return until !== null && until > now ? until : undefined;
}

function signInEvent(
  userId: string | undefined,
  action: string,
  outcome: 'success' | 'denied',
  requestId: string,
  details: Record<string, string>,
) {
  return {
    orgId: PLATFORM_ORG_ID,
    actor:
      userId === undefined ? { type: 'user' as const, id: 'unknown' } : { type: 'user' as const, id: userId },
    action,
    outcome,
    requestId,
    details,
  };
}

async function auditRefusal(
  services: Services,
  userId: string | undefined,
  reason: string,
  requestId: string,
): Promise<void> {
  await withIdentity(services, (trx) =>
    recordAudit(trx, signInEvent(userId, 'auth.sign_in_failed', 'denied', requestId, { reason })),
  );
}

function tooManyAttempts(until: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new AppError(
    429,
    'too_many_attempts',
    `Too many failed sign-ins for this address. Try again in ${minutes} minute(s).`,
  );
}

/**
 * The signed-in user for a session token, or undefined when the token is unknown, revoked, past its
 * absolute lifetime, idle for too long, or its user is disabled.
 */
export async function authenticate(services: Services, token: string): Promise<SignedIn | undefined> {
  const now = new Date();
  return withIdentity(services, async (trx) => {
    const session = await sessions.findSessionByToken(trx, tokenDigest(token));
    if (
      session === undefined ||
      session.revoked_at !== null ||
      session.expires_at <= now ||
      session.user_status !== 'active' ||
      now.getTime() - session.last_seen_at.getTime() > services.auth.sessionIdleMinutes * 60_000
    ) {
      return undefined;
    }
    if (now.getTime() - session.last_seen_at.getTime() > TOUCH_AFTER_MS) {
      await sessions.touchSession(trx, session.id, now);
    }
    return {
      sessionId: session.id,
      userId: session.user_id,
      actor: await loadActor(trx, session.user_id),
      // This session proved a second factor, and the account still has it on.
      twoFactor: session.second_factor && session.totp_enabled_at !== null,
    };
  });
}

export async function signOut(services: Services, who: SignedIn, requestId: string): Promise<void> {
  await withIdentity(services, async (trx) => {
    await sessions.revokeSession(trx, who.userId, who.sessionId);
    await recordAudit(trx, {
      ...signInEvent(who.userId, 'auth.sign_out', 'success', requestId, {}),
      target: `session:${who.sessionId}`,
    });
  });
}

export interface SessionSummary {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  current: boolean;
}

export async function listSessions(services: Services, who: SignedIn): Promise<SessionSummary[]> {
  const rows = await withIdentity(services, (trx) => sessions.liveSessions(trx, who.userId, new Date()));
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    current: row.id === who.sessionId,
  }));
}

/** Ends one of the user's own sessions; another user's session id is simply not found. */
export async function revokeOwnSession(
  services: Services,
  who: SignedIn,
  sessionId: string,
  requestId: string,
): Promise<void> {
  await withIdentity(services, async (trx) => {
    if (!(await sessions.revokeSession(trx, who.userId, sessionId))) {
      throw notFound('That session');
    }
    await recordAudit(trx, {
      ...signInEvent(who.userId, 'auth.session_revoked', 'success', requestId, {}),
      target: `session:${sessionId}`,
    });
  });
}

/** The signed-in user's own e-mail and memberships, for GET /api/v1/me. */
export interface MySchool {
  id: string;
  name: string;
  permissions: Permission[];
}

export async function describeMe(
  services: Services,
  who: SignedIn,
): Promise<{
  id: string;
  twoFactor: boolean;
  email: string;
  memberships: Array<{ orgId: string; orgKind: string; orgName: string; role: string }>;
  schools: MySchool[];
  idleMinutes: number;
}> {
  return withIdentity(services, async (trx) => {
    const user = await users.findUser(trx, who.userId);
    if (user === undefined) {
      throw notFound('That user');
    }
    const email = await new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID).decrypt(
      { table: 'users', column: 'email', rowId: user.id },
      user.email,
    );
    const actor = await loadActor(trx, user.id);
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: user.id },
      action: 'users.read_self',
      subjectIds: [user.id],
    });
    return {
      id: user.id,
      twoFactor: user.totp_enabled_at !== null,
      email,
      memberships: actor.memberships.map(({ orgId, orgKind, orgName, role }) => ({
        orgId,
        orgKind,
        orgName,
        role,
      })),
      schools: await schoolsReached(trx, actor),
      idleMinutes: services.auth.sessionIdleMinutes,
    };
  });
}

/** The schools a person works in, directly or through a trust, with what they may do in each. */
async function schoolsReached(trx: Transaction<DB>, actor: Actor): Promise<MySchool[]> {
  const ids = new Set(
    actor.memberships.flatMap((membership) =>
      membership.orgKind === 'school' ? [membership.orgId] : (membership.schoolIds ?? []),
    ),
  );
  const schools = await organisations.organisationsByIds(trx, [...ids]);
  return schools
    .map((school) => ({
      id: school.id,
      name: school.name,
      permissions: permissionsIn(actor, { id: school.id, kind: 'school' }),
    }))
    .toSorted((a, b) => a.name.localeCompare(b.name));
}
