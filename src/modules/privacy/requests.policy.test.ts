import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertAction, availableActions, REQUEST_ACTIONS, type RequestAction } from './requests.policy.ts';
import type { RequestRow } from './requests.repository.ts';

// What may be done to a request, as a table: status × subject × readiness → the actions offered. Every
// action not listed is refused (409) by assertAction.

type Facts = Parameters<typeof availableActions>[0];

const base: Facts = {
  status: 'open',
  kind: 'access',
  subject_type: 'pupil',
  subject_id: '00000000-0000-4000-8000-000000000001',
  identity_status: 'verified',
  extension_months: 0,
  received_on: '2026-12-01',
};
const early = { canApprove: false, today: '2026-12-04' };
const late = { canApprove: false, today: '2027-01-10' };
const dpo = { canApprove: true, today: '2026-12-04' };

const CASES: Array<[string, Partial<Facts>, typeof early, RequestAction[]]> = [
  [
    'open access, ready',
    {},
    early,
    ['pause', 'identity', 'assign', 'export', 'complete', 'link_subject', 'extend', 'refuse', 'withdraw'],
  ],
  [
    'open access, identity not checked',
    { identity_status: 'not_checked' },
    early,
    ['pause', 'identity', 'assign', 'complete', 'link_subject', 'extend', 'refuse', 'withdraw'],
  ],
  [
    'open access, no pupil yet',
    { subject_id: null },
    early,
    ['pause', 'identity', 'assign', 'complete', 'link_subject', 'extend', 'refuse', 'withdraw'],
  ],
  [
    'open access, after the first month: no extension',
    {},
    late,
    ['pause', 'identity', 'assign', 'export', 'complete', 'link_subject', 'refuse', 'withdraw'],
  ],
  [
    'open access, already extended twice',
    { extension_months: 2 },
    early,
    ['pause', 'identity', 'assign', 'export', 'complete', 'link_subject', 'refuse', 'withdraw'],
  ],
  [
    'open rectification',
    { kind: 'rectification' },
    early,
    ['pause', 'identity', 'assign', 'rectify', 'complete', 'link_subject', 'extend', 'refuse', 'withdraw'],
  ],
  [
    'open restriction',
    { kind: 'restriction' },
    early,
    [
      'pause',
      'identity',
      'assign',
      'apply_limit',
      'complete',
      'link_subject',
      'extend',
      'refuse',
      'withdraw',
    ],
  ],
  [
    'open erasure, ready: only through the DPO',
    { kind: 'erasure' },
    early,
    ['pause', 'identity', 'assign', 'submit_erasure', 'link_subject', 'extend', 'refuse', 'withdraw'],
  ],
  [
    'open erasure, not ready: no way to complete it',
    { kind: 'erasure', identity_status: 'failed' },
    early,
    ['pause', 'identity', 'assign', 'link_subject', 'extend', 'refuse', 'withdraw'],
  ],
  [
    'paused',
    { status: 'paused' },
    early,
    ['resume', 'identity', 'assign', 'link_subject', 'extend', 'refuse', 'withdraw'],
  ],
  [
    'awaiting approval, not the DPO',
    { kind: 'erasure', status: 'awaiting_approval' },
    early,
    ['assign', 'withdraw'],
  ],
  [
    'awaiting approval, the DPO',
    { kind: 'erasure', status: 'awaiting_approval' },
    dpo,
    ['assign', 'approve_erasure', 'reject_erasure', 'withdraw'],
  ],
  ['approved', { kind: 'erasure', status: 'approved' }, early, ['assign', 'execute_erasure', 'withdraw']],
  ['completed', { status: 'completed' }, dpo, []],
  ['refused', { status: 'refused' }, dpo, []],
  ['withdrawn', { status: 'withdrawn' }, dpo, []],
  [
    'staff access, ready',
    { subject_type: 'staff' },
    early,
    ['pause', 'identity', 'assign', 'export', 'complete', 'link_subject', 'extend', 'refuse', 'withdraw'],
  ],
  [
    'staff erasure: closed by hand',
    { subject_type: 'staff', kind: 'erasure' },
    early,
    ['pause', 'identity', 'assign', 'complete', 'link_subject', 'extend', 'refuse', 'withdraw'],
  ],
  [
    'contact access: answered by hand',
    { subject_type: 'contact', subject_id: null },
    early,
    ['pause', 'identity', 'assign', 'complete', 'extend', 'refuse', 'withdraw'],
  ],
];

describe('requests policy: status × kind × subject × readiness', () => {
  for (const [name, facts, context, expected] of CASES) {
    test(name, () => {
      const request: Facts = { ...base, ...facts };
      assert.deepEqual(availableActions(request, context).toSorted(), expected.toSorted());
      for (const action of REQUEST_ACTIONS) {
        if (expected.includes(action)) {
          assert.doesNotThrow(() => assertAction(request, action, context), action);
        } else {
          assert.throws(() => assertAction(request, action, context), { status: 409 }, action);
        }
      }
    });
  }

  test('a closed request says so', () => {
    const closed: Pick<RequestRow, 'status'> & Facts = { ...base, status: 'completed' };
    assert.throws(() => assertAction(closed, 'export', early), { code: 'request_closed' });
  });
});
