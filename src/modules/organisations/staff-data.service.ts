import { PLATFORM_ORG_ID, auditByActor } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import type { Services } from '../../services.ts';
import type { SubjectRecord } from '../privacy/subject-data.ts';
import { withIdentity } from './identity.ts';
import * as sessions from './sessions.repository.ts';
import * as users from './users.repository.ts';

// A member of staff is a data subject too: their access request gets their account, their roles, their
// sign-in history and what the school's audit log records them doing. (Never their password hash, TOTP
// secret or recovery codes: those are security secrets, not information about them.)

/** Whether the user holds any role in the school (a request about staff names one of its own). */
export async function isStaffOf(services: Services, schoolId: string, userId: string): Promise<boolean> {
  return withIdentity(services, async (trx) =>
    (await users.staffOf(trx, schoolId)).some((row) => row.user_id === userId),
  );
}

/** The sections of a staff member's access bundle, from the identity tenant and the school's chain. */
export async function staffSubjectData(
  services: Services,
  schoolId: string,
  userId: string,
): Promise<Record<string, SubjectRecord[]>> {
  const account = await withIdentity(services, async (trx) => {
    const user = await users.findUser(trx, userId);
    if (user === undefined) {
      return undefined;
    }
    const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
    return {
      email: await vault.decrypt({ table: 'users', column: 'email', rowId: userId }, user.email),
      user,
      roles: (await users.staffOf(trx, schoolId)).filter((row) => row.user_id === userId),
      sessions: await sessions.sessionsOfUser(trx, userId),
    };
  });
  if (account === undefined) {
    return {};
  }
  const actions = await services.db.withSchool(schoolId, (trx) => auditByActor(trx, schoolId, userId));
  return {
    account: [
      {
        userId,
        email: account.email,
        status: account.user.status,
        twoFactorOn: account.user.totp_enabled_at !== null,
        created: account.user.created_at.toISOString(),
      },
    ],
    roles: account.roles.map((row) => ({ role: row.role })),
    sign_ins: account.sessions.map((session) => ({
      opened: session.created_at.toISOString(),
      lastSeen: session.last_seen_at.toISOString(),
      ended: session.revoked_at?.toISOString() ?? null,
      withSecondFactor: session.second_factor,
    })),
    actions_recorded: actions.map((event) => ({
      action: event.action,
      outcome: event.outcome,
      target: event.target,
      at: event.occurred_at.toISOString(),
    })),
  };
}
