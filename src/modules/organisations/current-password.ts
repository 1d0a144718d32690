import { PLATFORM_ORG_ID, recordAudit } from '../../platform/audit/audit-log.ts';
import { verifyPassword } from '../../platform/crypto/passwords.ts';
import { badRequest } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { withIdentity, type SignedIn } from './identity.ts';
import * as users from './users.repository.ts';

/**
 * Refuses (400 on `field`, audited as `failedAction`) unless `password` is the signed-in user's current
 * password. Changes to how an account signs in ask for it again: a session left open, or stolen, is not
 * enough to change them. Runs outside any transaction: argon2 takes a while and must not hold a connection.
 */
export async function requireCurrentPassword(
  services: Services,
  who: SignedIn,
  password: string,
  audit: { failedAction: string; field: string; requestId: string },
): Promise<void> {
  const user = await withIdentity(services, (trx) => users.findUser(trx, who.userId));
  if (await verifyPassword(user?.password_hash, password)) {
    return;
  }
  await withIdentity(services, (trx) =>
    recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: audit.failedAction,
      outcome: 'denied',
      requestId: audit.requestId,
    }),
  );
  throw badRequest('Your current password is not right.', [
    { field: audit.field, message: 'does not match' },
  ]);
}
