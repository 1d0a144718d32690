// Roles and permissions as data, authorisation as pure functions (tested as a table in roles.policy.test.ts).
import type { OrganisationKind } from './organisations.tables.ts';

export const ROLES = [
  'platform_operator',
  'trust_leader',
  'school_admin',
  'data_manager',
  'senior_leader',
  'teacher',
  'virtual_school_head',
  'virtual_school_officer',
  'designated_teacher',
  'dpo',
  'social_worker',
  'app_developer',
  'support_engineer',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'platform.operate',
  'organisation.read',
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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Which kind of organisation each role is held in. */
export const ROLE_ORGANISATION: Record<Role, OrganisationKind> = {
  platform_operator: 'platform',
  trust_leader: 'trust',
  school_admin: 'school',
  data_manager: 'school',
  senior_leader: 'school',
  teacher: 'school',
  designated_teacher: 'school',
  dpo: 'school',
  virtual_school_head: 'local_authority',
  virtual_school_officer: 'local_authority',
  social_worker: 'local_authority',
  app_developer: 'platform',
  support_engineer: 'platform',
};

// Whoever may read every pupil (pupils.read) may read their own classes' pupils too: the pupil pages
// are open to pupils.read_own_classes, and which pupils a person then sees follows visiblePupils.
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // The operator runs the service and sees no pupil data unless a school grants support access.
  platform_operator: ['platform.operate', 'organisation.read', 'users.manage', 'audit.read'],
  trust_leader: [
    'organisation.read',
    'users.manage',
    'analysis.read',
    'pupils.read',
    'pupils.read_own_classes',
  ],
  school_admin: [
    'organisation.read',
    'users.manage',
    'audit.read',
    'apps.approve',
    'privacy.manage',
    'support.grant',
    'retention.manage',
    'pupils.read',
    'pupils.read_own_classes',
    'analysis.read',
    'connectors.manage',
  ],
  data_manager: [
    'organisation.read',
    'imports.run',
    'connectors.manage',
    'pupils.read',
    'pupils.read_own_classes',
    'analysis.read',
  ],
  senior_leader: ['organisation.read', 'pupils.read', 'pupils.read_own_classes', 'analysis.read'],
  teacher: ['organisation.read', 'pupils.read_own_classes', 'analysis.read'],
  designated_teacher: ['organisation.read', 'pupils.read_own_classes', 'pep.read', 'pep.write'],
  // The school's data protection officer: runs the requests register with the school admin, and alone
  // approves or refuses erasures (a second pair of eyes before anything is destroyed).
  dpo: [
    'organisation.read',
    'audit.read',
    'privacy.manage',
    'privacy.approve',
    'retention.manage',
    'pupils.read',
    'pupils.read_own_classes',
  ],
  virtual_school_head: ['organisation.read', 'users.manage', 'pep.read', 'pep.write', 'pep.sign_off'],
  virtual_school_officer: ['organisation.read', 'pep.read', 'pep.write'],
  social_worker: ['organisation.read', 'pep.read', 'pep.write'],
  // Builds apps that schools may authorise; sees their own apps and usage, never any school's data.
  app_developer: ['apps.develop'],
  // The operator's support staff: no access of their own. A school's support grant lends them a school
  // role there for a stated purpose and at most 72 hours (see governance/support-access.service.ts).
  support_engineer: [],
};

/** Which roles a holder of each role may grant, and where (same organisation, or the trust's schools). */
const GRANTABLE: Partial<Record<Role, readonly Role[]>> = {
  platform_operator: ROLES,
  trust_leader: [
    'trust_leader',
    'school_admin',
    'data_manager',
    'senior_leader',
    'teacher',
    'designated_teacher',
    'dpo',
  ],
  school_admin: ['school_admin', 'data_manager', 'senior_leader', 'teacher', 'designated_teacher', 'dpo'],
  virtual_school_head: ['virtual_school_head', 'virtual_school_officer', 'social_worker'],
};

export interface Membership {
  orgId: string;
  orgKind: OrganisationKind;
  role: Role;
  /** For trust memberships: the trust's schools, which the role reaches too. */
  schoolIds?: readonly string[];
  /** Lent by a school's support grant (every request under it is audited in the school's log). */
  supportGrantId?: string;
}

export interface Actor {
  userId: string;
  memberships: readonly Membership[];
}

export interface Organisation {
  id: string;
  kind: OrganisationKind;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The memberships whose role applies in `org`: held there, or held in a trust that owns the school. */
function membershipsReaching(actor: Actor, org: Organisation): Membership[] {
  return actor.memberships.filter(
    (membership) =>
      membership.orgId === org.id ||
      (membership.orgKind === 'trust' &&
        org.kind === 'school' &&
        (membership.schoolIds ?? []).includes(org.id)),
  );
}

/** May `actor` do `permission` in `org`? Platform permissions never reach into school data. */
export function can(actor: Actor, permission: Permission, org: Organisation): boolean {
  return membershipsReaching(actor, org).some((membership) =>
    ROLE_PERMISSIONS[membership.role].includes(permission),
  );
}

/**
 * The support grant a permission in `org` comes from, when only a grant gives it (the request is then
 * audited as support access); undefined when the person's own roles allow it.
 */
export function supportGrantUsed(
  actor: Actor,
  permission: Permission,
  org: Organisation,
): string | undefined {
  const own = {
    ...actor,
    memberships: actor.memberships.filter((membership) => membership.supportGrantId === undefined),
  };
  if (can(own, permission, org)) {
    return undefined;
  }
  return membershipsReaching(actor, org).find(
    (membership) =>
      membership.supportGrantId !== undefined && ROLE_PERMISSIONS[membership.role].includes(permission),
  )?.supportGrantId;
}

/** Everything `actor` may do in `org` (the web app shows only what a person can use). */
export function permissionsIn(actor: Actor, org: Organisation): Permission[] {
  const held = new Set(
    membershipsReaching(actor, org).flatMap((membership) => ROLE_PERMISSIONS[membership.role]),
  );
  return PERMISSIONS.filter((permission) => held.has(permission));
}

/**
 * May `actor` give `role` in `org`? Only roles of that organisation's kind, only by someone who manages
 * users there, and never above what their own role may grant (no school admin makes a platform operator).
 */
export function canGrant(actor: Actor, role: Role, org: Organisation): boolean {
  if (ROLE_ORGANISATION[role] !== org.kind) {
    return false;
  }
  return (
    membershipsReaching(actor, org).some(
      (membership) =>
        ROLE_PERMISSIONS[membership.role].includes('users.manage') &&
        (GRANTABLE[membership.role] ?? []).includes(role),
    ) || actor.memberships.some((membership) => membership.role === 'platform_operator')
  );
}
