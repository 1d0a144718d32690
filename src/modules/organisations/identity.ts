import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import type { Services } from '../../services.ts';
import type { Actor } from './roles.policy.ts';

// The small shared vocabulary of staff identity, kept apart so the services that use it do not
// import each other.

/** What a request knows about who is signed in. */
export interface SignedIn {
  sessionId: string;
  userId: string;
  actor: Actor;
  /**
   * Whether this session was opened with a second factor, on an account that still has two-factor on
   * (schools may require it). A property of the session, not the account: a session opened with the
   * password alone does not gain it when the account later turns two-factor on.
   */
  twoFactor: boolean;
}

/**
 * Staff identities belong to the platform's tenant (one person may work in several schools), so they
 * are reached through this context, which no school context can see into.
 */
export function withIdentity<R>(
  { db }: Pick<Services, 'db'>,
  work: (trx: Transaction<DB>) => Promise<R>,
): Promise<R> {
  return db.withSchool(PLATFORM_ORG_ID, work);
}

export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/** Session and link tokens are stored as their SHA-256: a database leak hands out nothing that works. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
