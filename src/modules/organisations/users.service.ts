import { randomBytes, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { PLATFORM_ORG_ID, recordAudit, type Actor as AuditActor } from '../../platform/audit/audit-log.ts';
import { hashPassword, passwordProblem } from '../../platform/crypto/passwords.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { AppError, badRequest, notFound } from '../../platform/http/errors.ts';
import { hasUnprintable } from '../../platform/http/printable.ts';
import type { Services } from '../../services.ts';
import { issueLink } from './account-links.service.ts';
import { normaliseEmail, withIdentity } from './identity.ts';
import * as organisations from './organisations.repository.ts';
import { isRole, ROLE_ORGANISATION, type Actor, type Membership, type Role } from './roles.policy.ts';

export type NamedMembership = Membership & { orgName: string };
import * as sessions from './sessions.repository.ts';
import * as users from './users.repository.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface NewUser {
  email: string;
  role: string;
  orgId: string;
  /** When absent the account has no password until its one-time set-up link is used. */
  password?: string | undefined;
}

export interface CreatedUser {
  id: string;
  /** True when the e-mail already had an account and only the role was added. */
  existing: boolean;
  /** The normalised address (for the invitation e-mail). */
  email: string;
  orgName: string;
  /** For a new account without a password: the one-time link where its owner sets one. */
  setupLink?: string;
}

/**
 * Creates a staff account (or adds a role to an existing one) with its membership. The e-mail is
 * encrypted under the user's own key and blind-indexed; the password is hashed with argon2id.
 */
export async function createUser(services: Services, input: NewUser, by: AuditActor): Promise<CreatedUser> {
  const email = normaliseEmail(input.email);
  const role = validateNewUser(email, input);
  const org = await withIdentity(services, (trx) => organisations.findOrganisation(trx, input.orgId));
  if (org === undefined) {
    throw new AppError(404, 'not_found', 'That organisation was not found.', [
      { field: 'org', message: 'does not exist' },
    ]);
  }
  if (ROLE_ORGANISATION[role] !== org.kind) {
    throw badRequest(
      `The role ${role} is held in a ${ROLE_ORGANISATION[role].replace('_', ' ')}, not a ${org.kind.replace('_', ' ')}.`,
      [{ field: 'role', message: `does not fit a ${org.kind.replace('_', ' ')}` }],
    );
  }
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  return withIdentity(services, async (trx) => {
    await services.keyring.createSchoolKeys(trx, PLATFORM_ORG_ID);
    const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
    const found = await vault.lookup('email', email);
    const id = found ?? randomUUID();
    if (found === undefined) {
      const sealed = await vault.encrypt(id, { table: 'users', column: 'email', rowId: id }, email);
      await users.insertUser(trx, { id, email: sealed, passwordHash });
      await vault.index(id, 'email', email);
      await recordAudit(trx, {
        orgId: PLATFORM_ORG_ID,
        actor: by,
        action: 'users.created',
        target: `user:${id}`,
      });
    }
    if (await users.insertMembership(trx, { userId: id, orgId: org.id, role })) {
      await recordAudit(trx, {
        orgId: PLATFORM_ORG_ID,
        actor: by,
        action: 'users.role_granted',
        target: `user:${id}`,
        details: { role, orgId: org.id },
      });
    }
    const created = { id, existing: found !== undefined, email, orgName: org.name };
    return found === undefined && passwordHash === null
      ? { ...created, setupLink: await issueLink(services, trx, id, 'account_setup') }
      : created;
  });
}

function validateNewUser(email: string, input: NewUser): Role {
  const fields = [];
  if (!EMAIL.test(email) || email.length > 254 || hasUnprintable(email)) {
    fields.push({ field: 'email', message: 'is not an e-mail address' });
  }
  if (!isRole(input.role)) {
    fields.push({ field: 'role', message: 'is not a role (e.g. school_admin, data_manager, teacher)' });
  }
  const problem = input.password === undefined ? undefined : passwordProblem(input.password);
  if (problem !== undefined) {
    fields.push({ field: 'password', message: problem });
  }
  if (fields.length > 0 || !isRole(input.role)) {
    throw badRequest('The account details are not valid.', fields);
  }
  return input.role;
}

/** The user id for an e-mail address, if there is an account. */
export async function findUserIdByEmail(services: Services, email: string): Promise<string | undefined> {
  return withIdentity(services, async (trx) => {
    await services.keyring.createSchoolKeys(trx, PLATFORM_ORG_ID);
    return new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID).lookup('email', normaliseEmail(email));
  });
}

/** Disables an account and ends all its sessions at once. */
export async function disableUser(services: Services, userId: string, by: AuditActor): Promise<void> {
  await withIdentity(services, async (trx) => {
    if (!(await users.setUserStatus(trx, userId, 'disabled'))) {
      throw notFound('That user');
    }
    await sessions.revokeAllSessions(trx, userId);
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: by,
      action: 'users.disabled',
      target: `user:${userId}`,
    });
  });
}

/** The signed-in person as authorisation sees them: memberships, with trusts' schools resolved. */
export async function loadActor(
  trx: Transaction<DB>,
  userId: string,
): Promise<Omit<Actor, 'memberships'> & { memberships: NamedMembership[] }> {
  const rows = await users.membershipsOf(trx, userId);
  const trustSchools = await organisations.schoolIdsOfTrusts(
    trx,
    rows.filter((row) => row.orgKind === 'trust').map((row) => row.orgId),
  );
  const memberships: NamedMembership[] = rows.flatMap((row) =>
    isRole(row.role)
      ? [
          {
            orgId: row.orgId,
            orgKind: row.orgKind,
            orgName: row.orgName,
            role: row.role,
            schoolIds: trustSchools.get(row.orgId) ?? [],
          },
        ]
      : [],
  );
  if (rows.some((row) => row.role === 'support_engineer')) {
    // A school's support grant lends a read-only (senior leader) or data manager role while it is live.
    for (const grant of await users.liveSupportGrantsOf(trx, userId, new Date())) {
      memberships.push({
        orgId: grant.orgId,
        orgKind: 'school',
        orgName: grant.orgName,
        role: grant.access === 'view' ? 'senior_leader' : 'data_manager',
        schoolIds: [],
        supportGrantId: grant.grantId,
      });
    }
  }
  return { userId, memberships };
}

/**
 * On a new platform (no operator yet), creates the first platform operator with a generated password,
 * returned once for the start command to print. Later starts find the operator and do nothing.
 */
export async function ensurePlatformOperator(
  services: Services,
  email: string,
): Promise<{ email: string; password: string } | undefined> {
  const existing = await withIdentity(services, (trx) => users.countRole(trx, 'platform_operator'));
  if (existing > 0) {
    return undefined;
  }
  // A password rather than a set-up link: the operator may have no web page or mail server yet.
  const password = randomBytes(18).toString('base64url');
  await createUser(
    services,
    { email, role: 'platform_operator', orgId: PLATFORM_ORG_ID, password },
    { type: 'system', id: 'first-run' },
  );
  return { email: normaliseEmail(email), password };
}
