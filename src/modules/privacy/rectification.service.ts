import { SchoolVault } from '../../platform/crypto/vault.ts';
import { rectifyPupil, type Correction } from '../pupils/pupil-rectification.service.ts';
import { stepRequest, type RequestWork, type StepOutcome } from './requests.service.ts';

/** Corrects the pupil's record as the request asks; the reason is kept in the request's history. */
export function rectifyForRequest(
  work: RequestWork,
  input: { changes: Correction[]; reason: string },
): Promise<StepOutcome> {
  return stepRequest(work, 'rectify', async (trx, row) => {
    const vault = new SchoolVault(work.services.keyring, trx, work.schoolId);
    const fields = await rectifyPupil(
      trx,
      vault,
      work.schoolId,
      row.subject_id ?? '',
      input.changes,
      work.who.userId,
    );
    return { note: input.reason, details: { fields: fields.join(',') } };
  });
}
