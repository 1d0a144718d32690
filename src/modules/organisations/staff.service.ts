import { PLATFORM_ORG_ID, recordAudit } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { SETUP_LINK_DAYS } from './account-links.service.ts';
import { accessGrantedMail, invitationMail } from './account-mail.ts';
import { canGrant, isRole, ROLE_PERMISSIONS, type Permission, type Role } from './roles.policy.ts';
import * as users from './users.repository.ts';
import { withIdentity, type SignedIn } from './identity.ts';
import { createUser } from './users.service.ts';

export interface StaffMember {
  userId: string;
  email: string;
  roles: string[];
  status: 'active' | 'disabled';
  twoFactor: boolean;
}

/** A school's staff with their roles there; reading their addresses is recorded. */
export async function listStaff(
  services: Services,
  who: SignedIn,
  schoolId: string,
  requestId: string,
): Promise<StaffMember[]> {
  return withIdentity(services, async (trx) => {
    const rows = await users.staffOf(trx, schoolId);
    const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
    const byUser = new Map<string, StaffMember>();
    for (const row of rows) {
      const existing = byUser.get(row.user_id);
      if (existing !== undefined) {
        existing.roles.push(row.role);
        continue;
      }
      byUser.set(row.user_id, {
        userId: row.user_id,
        email: await vault.decrypt({ table: 'users', column: 'email', rowId: row.user_id }, row.email),
        roles: [row.role],
        status: row.status,
        twoFactor: row.totp_enabled_at !== null,
      });
    }
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: 'users.read',
      target: `school:${schoolId}`,
      subjectIds: [...byUser.keys()],
      requestId,
    });
    return [...byUser.values()];
  });
}

/**
 * Refuses and records an attempt to give or take a role. Only a real role name is recorded or echoed:
 * anything else is "invalid", since the raw text may be anything at all (a NUL or a lone surrogate
 * cannot even be stored in the audit record's jsonb).
 */
async function refuseRole(
  services: Services,
  who: SignedIn,
  schoolId: string,
  requested: string,
  requestId: string,
): Promise<never> {
  const role = isRole(requested) ? requested : undefined;
  await withIdentity(services, (trx) =>
    recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: 'users.role_refused',
      outcome: 'denied',
      target: `school:${schoolId}`,
      requestId,
      details: { role: role ?? 'invalid' },
    }),
  );
  throw new AppError(
    403,
    'role_not_grantable',
    role === undefined
      ? 'That is not a role you can give in this school.'
      : `You cannot give the role ${role} in this school.`,
    [{ field: 'role', message: 'is not one you may give here' }],
  );
}

/**
 * Gives someone a role in the school, creating their account if needed; they are e-mailed a one-time
 * link to set their password (new account) or a note that they have access (existing account).
 * Only roles the signed-in user may grant there: a school admin never makes a platform operator.
 */
export async function addStaff(
  services: Services,
  who: SignedIn,
  schoolId: string,
  input: { email: string; role: string },
  requestId: string,
): Promise<{ userId: string }> {
  if (!isRole(input.role) || !canGrant(who.actor, input.role, { id: schoolId, kind: 'school' })) {
    return refuseRole(services, who, schoolId, input.role, requestId);
  }
  const created = await createUser(
    services,
    { email: input.email, role: input.role, orgId: schoolId },
    { type: 'user', id: who.userId },
  );
  // The answer is the same for a new and an existing account: whether an address has a Haven account
  // elsewhere is not this school's business. The person hears which by e-mail.
  services.mailer.queue(
    created.setupLink === undefined
      ? accessGrantedMail(created.email, created.orgName, input.role, `${services.publicUrl}/sign-in`)
      : invitationMail(created.email, created.setupLink, created.orgName, SETUP_LINK_DAYS),
  );
  return { userId: created.id };
}

/** Takes a role in the school away; the change applies to the person's next request. */
export async function removeStaffRole(
  services: Services,
  who: SignedIn,
  schoolId: string,
  target: { userId: string; role: string },
  requestId: string,
): Promise<void> {
  if (!isRole(target.role) || !canGrant(who.actor, target.role, { id: schoolId, kind: 'school' })) {
    return refuseRole(services, who, schoolId, target.role, requestId);
  }
  await withIdentity(services, async (trx) => {
    if (!(await users.deleteMembership(trx, { userId: target.userId, orgId: schoolId, role: target.role }))) {
      throw notFound('That role for that person');
    }
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: 'users.role_revoked',
      target: `user:${target.userId}`,
      requestId,
      details: { role: target.role, orgId: schoolId },
    });
  });
}

/** The school's active administrators' addresses, for notices they must hear about (app approvals). */
export async function schoolAdminAddresses(services: Services, schoolId: string): Promise<string[]> {
  return withIdentity(services, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
    const admins = (await users.staffOf(trx, schoolId)).filter(
      (row) => row.role === 'school_admin' && row.status === 'active',
    );
    return Promise.all(
      admins.map((row) => vault.decrypt({ table: 'users', column: 'email', rowId: row.user_id }, row.email)),
    );
  });
}

/**
 * The school's active staff holding a permission there by a school role (e.g. whoever handles data
 * subject requests), with their addresses: for assigning work and for notices they must hear about.
 */
export async function schoolStaffHolding(
  services: Services,
  schoolId: string,
  permission: Permission,
): Promise<Array<{ userId: string; email: string }>> {
  return withIdentity(services, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
    const holders = new Map<string, Buffer>();
    for (const row of await users.staffOf(trx, schoolId)) {
      if (row.status === 'active' && isRole(row.role) && ROLE_PERMISSIONS[row.role].includes(permission)) {
        holders.set(row.user_id, row.email);
      }
    }
    return Promise.all(
      [...holders].map(async ([userId, email]) => ({
        userId,
        email: await vault.decrypt({ table: 'users', column: 'email', rowId: userId }, email),
      })),
    );
  });
}

/** An organisation's active staff in one of `roles`, with their addresses (e.g. a virtual school's social workers). */
export async function staffInRoles(
  services: Services,
  orgId: string,
  roles: readonly Role[],
): Promise<Array<{ userId: string; email: string; role: Role }>> {
  return withIdentity(services, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
    const found: Array<{ userId: string; email: string; role: Role }> = [];
    for (const row of await users.staffOf(trx, orgId)) {
      const role = row.role;
      if (row.status === 'active' && isRole(role) && roles.includes(role)) {
        const email = await vault.decrypt({ table: 'users', column: 'email', rowId: row.user_id }, row.email);
        found.push({ userId: row.user_id, email, role });
      }
    }
    return found;
  });
}
