import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  availableActions,
  editableModules,
  mayApproveFunding,
  mayStartNextVersion,
  mayTransition,
  type PepRole,
} from './pep.policy.ts';

const DT: PepRole[] = ['designated_teacher'];
const SW: PepRole[] = ['social_worker'];
const VSO: PepRole[] = ['virtual_school_officer'];
const VSH: PepRole[] = ['virtual_school_head'];

describe('who moves a PEP, and when', () => {
  test('the actions each role has in each state', () => {
    const table = {
      draft: { DT: ['submit'], SW: [], VSO: ['submit'], VSH: ['submit'] },
      submitted: { DT: [], SW: [], VSO: ['return', 'approve'], VSH: ['return', 'approve'] },
      returned: { DT: ['submit'], SW: [], VSO: ['submit'], VSH: ['submit'] },
      approved: { DT: [], SW: [], VSO: ['return'], VSH: ['return', 'sign_off'] },
      signed_off: { DT: [], SW: [], VSO: [], VSH: [] },
    } as const;
    for (const [state, byRole] of Object.entries(table)) {
      for (const [name, roles] of Object.entries({ DT, SW, VSO, VSH })) {
        assert.deepEqual(
          availableActions(roles, state as keyof typeof table),
          byRole[name as keyof typeof byRole],
          `${name} in ${state}`,
        );
      }
    }
  });

  test('which sections each role writes: contributors in draft and returned, QA while submitted, nothing once signed off', () => {
    assert.deepEqual(editableModules(DT, 'draft'), [
      'basic_info',
      'pupil_voice',
      'send',
      'meeting',
      'targets',
    ]);
    assert.deepEqual(editableModules(SW, 'returned'), ['basic_info', 'pupil_voice', 'meeting']);
    assert.deepEqual(editableModules(VSO, 'submitted'), ['qa']);
    assert.deepEqual(editableModules(DT, 'submitted'), []);
    assert.deepEqual(editableModules(VSH, 'signed_off'), []);
  });

  test('refusals say why: 403 for the wrong role, 409 for the wrong state', () => {
    assert.deepEqual(mayTransition(DT, 'approve', 'submitted'), {
      allowed: false,
      status: 403,
      reason: 'Your role may not approve a PEP.',
    });
    const late = mayTransition(VSH, 'sign_off', 'draft');
    assert.equal(late.allowed, false);
    assert.equal(!late.allowed && late.status, 409);
    assert.equal(mayStartNextVersion(DT, 'approved').allowed, false);
    assert.equal(mayStartNextVersion(SW, 'signed_off').allowed, false);
    assert.equal(mayStartNextVersion(DT, 'signed_off').allowed, true);
    assert.equal(mayApproveFunding(DT), false);
    assert.equal(mayApproveFunding(VSO), true);
  });
});
