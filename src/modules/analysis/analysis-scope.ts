import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { visiblePupils } from '../curriculum/curriculum.service.ts';
import type { Actor } from '../organisations/roles.policy.ts';
import { limitedPupilIds } from '../privacy/limits.service.ts';

/**
 * Which pupils an analysis may count for this person: those they may see (teachers: their classes),
 * less those whose processing is restricted or who objected to analysis (UK GDPR Arts. 18 and 21).
 */
export async function analysablePupils(
  trx: Transaction<DB>,
  who: { actor: Actor; userId: string },
  schoolId: string,
): Promise<(pupilId: string) => boolean> {
  const { visible, limited } = await analysableScope(trx, who, schoolId);
  const seen = visible === 'all' ? undefined : new Set(visible);
  const excluded = new Set(limited);
  return (pupilId) => !excluded.has(pupilId) && (seen === undefined || seen.has(pupilId));
}

/**
 * The same as lists, for a query to apply: the pupils this person may see ('all', or a teacher's
 * classes) and those that may not be analysed.
 */
export async function analysableScope(
  trx: Transaction<DB>,
  who: { actor: Actor; userId: string },
  schoolId: string,
): Promise<{ visible: 'all' | string[]; limited: string[] }> {
  return {
    visible: await visiblePupils(trx, who.actor, who.userId, schoolId),
    limited: await limitedPupilIds(trx, schoolId, 'analysis'),
  };
}
