import { AppError, type FieldError } from '../../platform/http/errors.ts';
import type { Modules } from './pep-content.ts';
import { mayApproveFunding, type PepRole } from './pep.policy.ts';
import type { TargetValue } from './pep.schema.ts';

// The content rules of a PEP that the schemas alone cannot say.

/** What a PEP still needs before it is submitted, as field errors naming the section. */
export function missingForSubmission(modules: Modules): FieldError[] {
  const missing: FieldError[] = [];
  if (modules.basic_info === null) {
    missing.push({ field: 'basic_info', message: 'Basic Info is not filled in' });
  }
  if (modules.pupil_voice === null || modules.pupil_voice.inTheirWords.trim() === '') {
    missing.push({ field: 'pupil_voice.inTheirWords', message: 'the child’s own words are not recorded' });
  }
  if (modules.send === null) {
    missing.push({ field: 'send', message: 'the SEND section is not filled in' });
  }
  if (modules.meeting?.heldOn === null || modules.meeting === null) {
    missing.push({ field: 'meeting.heldOn', message: 'the meeting date is not recorded' });
  }
  if (modules.targets === null || modules.targets.targets.length === 0) {
    missing.push({ field: 'targets', message: 'at least one target is needed' });
  }
  return missing;
}

/**
 * Targets are the school's and the virtual school's together, but only the virtual school decides Pupil
 * Premium Plus funding: anyone else must leave each target's approved amount as it was.
 */
export function checkTargets(
  roles: readonly PepRole[],
  before: readonly TargetValue[],
  after: readonly TargetValue[],
): void {
  const ids = new Set<string>();
  after.forEach((target, index) => {
    if (ids.has(target.id)) {
      throw new AppError(400, 'invalid_request', 'Two targets have the same id.', [
        { field: `targets[${index}].id`, message: 'is used by another target' },
      ]);
    }
    ids.add(target.id);
  });
  if (mayApproveFunding(roles)) {
    return;
  }
  const approved = new Map(before.map((target) => [target.id, target.fundingApprovedPence]));
  after.forEach((target, index) => {
    if ((approved.get(target.id) ?? null) !== target.fundingApprovedPence) {
      throw new AppError(403, 'forbidden', 'Only the virtual school approves Pupil Premium Plus funding.', [
        { field: `targets[${index}].fundingApprovedPence`, message: 'is set by the virtual school' },
      ]);
    }
  });
}

/** The PEP's funding totals, kept in clear columns so dashboards never decrypt a PEP. */
export function fundingTotals(targets: readonly TargetValue[]): {
  funding_requested_pence: number;
  funding_approved_pence: number;
} {
  return {
    funding_requested_pence: targets.reduce((sum, target) => sum + target.fundingRequestedPence, 0),
    funding_approved_pence: targets.reduce((sum, target) => sum + (target.fundingApprovedPence ?? 0), 0),
  };
}
