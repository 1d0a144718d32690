import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { PLATFORM_ORG_ID, recordAudit } from '../../platform/audit/audit-log.ts';
import { hashPassword, passwordProblem } from '../../platform/crypto/passwords.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { AppError, badRequest } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import * as links from './account-links.repository.ts';
import type { LinkPurpose } from './account-links.repository.ts';
import { passwordResetMail } from './account-mail.ts';
import { requireCurrentPassword } from './current-password.ts';
import * as sessions from './sessions.repository.ts';
import { normaliseEmail, tokenDigest, withIdentity, type SignedIn } from './identity.ts';
import * as users from './users.repository.ts';

export const RESET_LINK_MINUTES = 60;
export const SETUP_LINK_DAYS = 7;
// More reset mails than this an hour to one address would be someone else pressing the button.
const RESET_MAILS_PER_HOUR = 3;

const PAGE: Record<LinkPurpose, string> = {
  password_reset: 'reset-password',
  account_setup: 'set-password',
};

/**
 * Makes a one-time link for the user and returns its URL. The token travels in the fragment (`#token=`),
 * which browsers never send to a server, so it cannot land in access logs; only its digest is stored.
 * Older unspent links of the same purpose stop working; a link of the other purpose is left alone.
 */
export async function issueLink(
  services: Pick<Services, 'publicUrl'>,
  trx: Transaction<DB>,
  userId: string,
  purpose: LinkPurpose,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const lifetimeMs =
    purpose === 'password_reset' ? RESET_LINK_MINUTES * 60_000 : SETUP_LINK_DAYS * 24 * 3_600_000;
  await links.spendLinksFor(trx, userId, purpose, now);
  await links.insertLink(trx, {
    userId,
    purpose,
    tokenHash: tokenDigest(token),
    expiresAt: new Date(now.getTime() + lifetimeMs),
  });
  return `${services.publicUrl}/${PAGE[purpose]}#token=${token}`;
}

/**
 * Sends a reset link when the address has an active account. Returns at once: the lookup, the audit
 * record, the link and the mail are background work, so neither the answer nor its timing (a known
 * address means more database work) says whether the address is known.
 */
export function requestPasswordReset(services: Services, email: string, requestId: string): void {
  const address = normaliseEmail(email);
  services.background.run('auth.password_reset_request', () => sendResetLink(services, address, requestId));
}

async function sendResetLink(services: Services, address: string, requestId: string): Promise<void> {
  const link = await withIdentity(services, async (trx) => {
    await services.keyring.createSchoolKeys(trx, PLATFORM_ORG_ID);
    const userId = await new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID).lookup('email', address);
    const user = userId === undefined ? undefined : await users.findUser(trx, userId);
    const refusal =
      user === undefined
        ? 'unknown_address'
        : user.status !== 'active'
          ? 'disabled'
          : (await links.countLinksSince(trx, user.id, 'password_reset', new Date(Date.now() - 3_600_000))) >=
              RESET_MAILS_PER_HOUR
            ? 'too_many_requests'
            : undefined;
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: user?.id ?? 'unknown' },
      action: 'auth.password_reset_requested',
      outcome: refusal === undefined ? 'success' : 'denied',
      requestId,
      ...(refusal === undefined ? {} : { details: { reason: refusal } }),
    });
    return refusal === undefined && user !== undefined
      ? await issueLink(services, trx, user.id, 'password_reset')
      : undefined;
  });
  if (link !== undefined) {
    services.mailer.queue(passwordResetMail(address, link, RESET_LINK_MINUTES));
  }
}

const DEAD_LINK = new AppError(
  400,
  'invalid_link',
  'This link has expired or has already been used. Ask for a new one from the sign-in page.',
  [{ field: 'token', message: 'is not a live link' }],
);

/** What a live link is for, so the page can say "set" or "reset" before the person types a password. */
export async function inspectLink(
  services: Services,
  token: string,
): Promise<{ purpose: LinkPurpose; expiresAt: Date }> {
  const link = await withIdentity(services, (trx) => links.findLiveLink(trx, tokenDigest(token), new Date()));
  if (link === undefined) {
    throw DEAD_LINK;
  }
  return { purpose: link.purpose, expiresAt: link.expires_at };
}

/**
 * Sets the password through a one-time link. The link is spent, every session of the account ends
 * (whoever had the old password is out), a sign-in lockout of the address is lifted (its owner has
 * just proved they read its mail), and the change is audited.
 */
export async function setPasswordWithLink(
  services: Services,
  input: { token: string; password: string },
  requestId: string,
): Promise<void> {
  rejectWeakPassword(input.password, 'password');
  const passwordHash = await hashPassword(input.password);
  const now = new Date();
  await withIdentity(services, async (trx) => {
    const link = await links.findLiveLink(trx, tokenDigest(input.token), now);
    if (link === undefined || !(await links.spendLink(trx, link.id, now))) {
      throw DEAD_LINK;
    }
    await links.spendOtherLinks(trx, link.user_id, now);
    await users.setPasswordHash(trx, link.user_id, passwordHash);
    await sessions.revokeAllSessions(trx, link.user_id);
    await sessions.clearFailures(trx, await signInDigest(services, trx, link.user_id));
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: link.user_id },
      action: link.purpose === 'password_reset' ? 'auth.password_reset' : 'auth.account_set_up',
      target: `user:${link.user_id}`,
      requestId,
    });
  });
}

/** A signed-in user changes their own password; their other sessions end. */
export async function changeOwnPassword(
  services: Services,
  who: SignedIn,
  input: { currentPassword: string; newPassword: string },
  requestId: string,
): Promise<void> {
  await requireCurrentPassword(services, who, input.currentPassword, {
    failedAction: 'auth.password_change_failed',
    field: 'currentPassword',
    requestId,
  });
  rejectWeakPassword(input.newPassword, 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);
  await withIdentity(services, async (trx) => {
    await users.setPasswordHash(trx, who.userId, passwordHash);
    await sessions.revokeOtherSessions(trx, who.userId, who.sessionId);
    await links.spendOtherLinks(trx, who.userId, new Date());
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: 'auth.password_changed',
      target: `user:${who.userId}`,
      requestId,
    });
  });
}

/** The digest sign-in counts failures under, from the user's (encrypted) address. */
async function signInDigest(services: Services, trx: Transaction<DB>, userId: string): Promise<Buffer> {
  const user = await users.findUser(trx, userId);
  if (user === undefined) {
    throw new Error('a live link names a user that does not exist');
  }
  const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
  const email = await vault.decrypt({ table: 'users', column: 'email', rowId: user.id }, user.email);
  return vault.digest('sign_in', normaliseEmail(email));
}

function rejectWeakPassword(password: string, field: string): void {
  const problem = passwordProblem(password);
  if (problem !== undefined) {
    throw badRequest('Choose a longer or less repetitive password.', [{ field, message: problem }]);
  }
}
