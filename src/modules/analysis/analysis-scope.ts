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
  const visible = await visiblePupils(trx, who.actor, who.userId, schoolId);
  const seen = visible === 'all' ? undefined : new Set(visible);
  const limited = new Set(await limitedPupilIds(trx, schoolId, 'analysis'));
  return (pupilId) => !limited.has(pupilId) && (seen === undefined || seen.has(pupilId));
}
