import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  can,
  canGrant,
  permissionsIn,
  PERMISSIONS,
  ROLE_ORGANISATION,
  ROLE_PERMISSIONS,
  ROLES,
  type Actor,
  type Organisation,
  type Permission,
  type Role,
} from './roles.policy.ts';

const platform: Organisation = { id: 'platform', kind: 'platform' };
const trust: Organisation = { id: 'trust-1', kind: 'trust' };
const school: Organisation = { id: 'school-1', kind: 'school' };
const trustSchool: Organisation = { id: 'school-2', kind: 'school' };
const otherSchool: Organisation = { id: 'school-3', kind: 'school' };
const la: Organisation = { id: 'la-1', kind: 'local_authority' };
const home: Record<Role, Organisation> = {
  platform_operator: platform,
  trust_leader: trust,
  school_admin: school,
  data_manager: school,
  senior_leader: school,
  teacher: school,
  designated_teacher: school,
  dpo: school,
  virtual_school_head: la,
  virtual_school_officer: la,
  social_worker: la,
  app_developer: platform,
  support_engineer: platform,
};

function actorWith(role: Role): Actor {
  const org = home[role];
  return {
    userId: `u-${role}`,
    memberships: [
      {
        orgId: org.id,
        orgKind: org.kind,
        role,
        ...(role === 'trust_leader' ? { schoolIds: [trustSchool.id] } : {}),
      },
    ],
  };
}

// role × permission × organisation → allowed. Everything not listed is refused.
const ALLOWED: Array<[Role, Permission, Organisation]> = [
  ['platform_operator', 'platform.operate', platform],
  ['platform_operator', 'users.manage', platform],
  ['platform_operator', 'audit.read', platform],
  ['app_developer', 'apps.develop', platform],
  ['trust_leader', 'analysis.read', trust],
  ['trust_leader', 'pupils.read', trust],
  ['trust_leader', 'pupils.read_own_classes', trust],
  ['trust_leader', 'users.manage', trust],
  ['trust_leader', 'users.manage', trustSchool],
  ['trust_leader', 'analysis.read', trustSchool],
  ['trust_leader', 'pupils.read', trustSchool],
  ['trust_leader', 'pupils.read_own_classes', trustSchool],
  ['school_admin', 'users.manage', school],
  ['school_admin', 'apps.approve', school],
  ['school_admin', 'privacy.manage', school],
  ['school_admin', 'support.grant', school],
  ['school_admin', 'retention.manage', school],
  ['school_admin', 'connectors.manage', school],
  ['data_manager', 'connectors.manage', school],
  ['school_admin', 'audit.read', school],
  ['school_admin', 'pupils.read', school],
  ['school_admin', 'pupils.read_own_classes', school],
  ['school_admin', 'analysis.read', school],
  ['data_manager', 'analysis.read', school],
  ['designated_teacher', 'pupils.read_own_classes', school],
  ['virtual_school_head', 'users.manage', la],
  ['data_manager', 'imports.run', school],
  ['data_manager', 'pupils.read', school],
  ['data_manager', 'pupils.read_own_classes', school],
  ['senior_leader', 'pupils.read', school],
  ['senior_leader', 'pupils.read_own_classes', school],
  ['senior_leader', 'analysis.read', school],
  ['teacher', 'pupils.read_own_classes', school],
  ['teacher', 'analysis.read', school],
  ['designated_teacher', 'pep.read', school],
  ['designated_teacher', 'pep.write', school],
  ['dpo', 'audit.read', school],
  ['dpo', 'privacy.manage', school],
  ['dpo', 'privacy.approve', school],
  ['dpo', 'retention.manage', school],
  ['dpo', 'pupils.read', school],
  ['dpo', 'pupils.read_own_classes', school],
  ['virtual_school_head', 'pep.read', la],
  ['virtual_school_head', 'pep.write', la],
  ['virtual_school_head', 'pep.sign_off', la],
  ['virtual_school_officer', 'pep.read', la],
  ['virtual_school_officer', 'pep.write', la],
  ['social_worker', 'pep.read', la],
  ['social_worker', 'pep.write', la],
];

describe('can: every role × permission × organisation', () => {
  const orgs = [platform, trust, school, trustSchool, otherSchool, la];
  const permissions: Permission[] = [
    'platform.operate',
    'users.manage',
    'audit.read',
    'imports.run',
    'pupils.read',
    'pupils.read_own_classes',
    'analysis.read',
    'apps.approve',
    'privacy.manage',
    'privacy.approve',
    'support.grant',
    'retention.manage',
    'pep.read',
    'pep.write',
    'pep.sign_off',
    'apps.develop',
    'connectors.manage',
  ];
  for (const role of ROLES) {
    test(role, () => {
      for (const permission of permissions) {
        for (const org of orgs) {
          const expected = ALLOWED.some(([r, p, o]) => r === role && p === permission && o.id === org.id);
          assert.equal(can(actorWith(role), permission, org), expected, `${role} ${permission} ${org.id}`);
        }
      }
    });
  }

  test('permissionsIn lists exactly what can allows, for every role and organisation', () => {
    for (const role of ROLES) {
      for (const org of orgs) {
        const actor = actorWith(role);
        assert.deepEqual(
          permissionsIn(actor, org),
          PERMISSIONS.filter((permission) => can(actor, permission, org)),
          `${role} in ${org.id}`,
        );
      }
    }
    assert.ok(permissionsIn(actorWith('teacher'), school).includes('analysis.read'));
  });

  test('whoever reads every pupil also reads their own classes’ pupils (the pupil pages need either)', () => {
    for (const role of ROLES) {
      if (ROLE_PERMISSIONS[role].includes('pupils.read')) {
        assert.ok(ROLE_PERMISSIONS[role].includes('pupils.read_own_classes'), role);
      }
    }
  });

  test('the platform operator has no reach into school data', () => {
    const operator = actorWith('platform_operator');
    assert.equal(can(operator, 'pupils.read', school), false);
    assert.equal(can(operator, 'analysis.read', school), false);
  });
});

describe('canGrant: no role escalation', () => {
  test('a school admin grants school roles in their own school only', () => {
    const admin = actorWith('school_admin');
    assert.equal(canGrant(admin, 'teacher', school), true);
    assert.equal(canGrant(admin, 'school_admin', school), true);
    assert.equal(canGrant(admin, 'teacher', otherSchool), false);
    assert.equal(canGrant(admin, 'platform_operator', platform), false);
    assert.equal(canGrant(admin, 'platform_operator', school), false);
    assert.equal(canGrant(admin, 'trust_leader', trust), false);
  });

  test('a teacher grants nothing', () => {
    for (const role of ROLES) {
      assert.equal(canGrant(actorWith('teacher'), role, home[role]), false, role);
    }
  });

  test("a trust leader grants school roles in the trust's schools, not elsewhere", () => {
    const leader = actorWith('trust_leader');
    assert.equal(canGrant(leader, 'school_admin', trustSchool), true);
    assert.equal(canGrant(leader, 'school_admin', otherSchool), false);
    assert.equal(canGrant(leader, 'virtual_school_head', la), false);
  });

  test('the platform operator grants any role, but only in an organisation of its kind', () => {
    const operator = actorWith('platform_operator');
    for (const role of ROLES) {
      assert.equal(canGrant(operator, role, home[role]), true, role);
      const wrongKind = ROLE_ORGANISATION[role] === 'school' ? la : school;
      assert.equal(canGrant(operator, role, wrongKind), false, `${role} in ${wrongKind.kind}`);
    }
  });
});
