/**
 * Who the app is assigned to (spec §5.4). Pure.
 *
 * - scope `assigned`: users assigned directly, plus the *direct* user members of assigned groups (Entra does
 *   not expand nested groups); groups assigned directly.
 * - scope `all`: every user and group is entitled; roles still come from assignments.
 * - provisionDefaultAccess false: a user whose only role is Default Access is not entitled (the Zapier
 *   tutorial's setup).
 */
import type { JobSettings } from '../model/job.js';
import { DEFAULT_ACCESS_ROLE, type AppRole, type Tenant } from '../model/directory.js';

export interface Entitlement {
  entitled: boolean;
  /** Roles assigned to the principal, directly or through a group, de-duplicated, in role-id order. */
  roles: AppRole[];
  /** For humans: why the object is not entitled. */
  reason?: string;
}

export interface Entitlements {
  users: Map<string, Entitlement>;
  groups: Map<string, Entitlement>;
}

const NO_ROLES: readonly AppRole[] = Object.freeze([]);

export function computeEntitlements(tenant: Tenant, settings: JobSettings): Entitlements {
  const roleById = new Map<string, AppRole>(tenant.app.appRoles.map((r) => [r.id, r]));
  roleById.set(DEFAULT_ACCESS_ROLE.id, DEFAULT_ACCESS_ROLE);
  const groupById = new Map(tenant.groups.map((g) => [g.id, g]));
  let userIds: Set<string> | null = null;

  // Roles per principal, as small arrays (most principals hold one role): cheaper than Maps of Maps.
  const userRoles = new Map<string, AppRole[]>();
  const groupRoles = new Map<string, AppRole[]>();
  const add = (into: Map<string, AppRole[]>, id: string, role: AppRole): void => {
    const roles = into.get(id);
    if (!roles) into.set(id, [role]);
    else if (!roles.some((r) => r.id === role.id)) roles.push(role);
  };

  for (const a of tenant.assignments) {
    const role = roleById.get(a.roleId) ?? DEFAULT_ACCESS_ROLE;
    if (a.principalKind === 'user') {
      add(userRoles, a.principalId, role);
    } else {
      add(groupRoles, a.principalId, role);
      userIds ??= new Set(tenant.users.map((u) => u.id));
      for (const memberId of groupById.get(a.principalId)?.memberIds ?? []) {
        if (userIds.has(memberId)) add(userRoles, memberId, role);
      }
    }
  }

  const sorted = (roles: AppRole[] | undefined): AppRole[] =>
    roles === undefined
      ? (NO_ROLES as AppRole[])
      : roles.length < 2
        ? roles
        : roles.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const notAssigned: Entitlement = {
    entitled: false,
    roles: NO_ROLES as AppRole[],
    reason: 'NotEffectivelyEntitled: the user is not assigned to the application',
  };

  const users = new Map<string, Entitlement>();
  for (const u of tenant.users) {
    const roles = sorted(userRoles.get(u.id));
    if (settings.scope === 'all') {
      users.set(u.id, { entitled: true, roles });
    } else if (roles.length === 0) {
      users.set(u.id, notAssigned);
    } else if (!settings.provisionDefaultAccess && roles.every((r) => r.id === DEFAULT_ACCESS_ROLE.id)) {
      users.set(u.id, {
        entitled: false,
        roles,
        reason: 'NotEffectivelyEntitled: the user is assigned only the Default Access role (provisionDefaultAccess is false)',
      });
    } else {
      users.set(u.id, { entitled: true, roles });
    }
  }

  const groups = new Map<string, Entitlement>();
  for (const g of tenant.groups) {
    const roles = sorted(groupRoles.get(g.id));
    const entitled = settings.scope === 'all' || roles.length > 0;
    groups.set(
      g.id,
      entitled ? { entitled, roles } : { entitled, roles, reason: 'NotEffectivelyEntitled: the group is not assigned to the application' },
    );
  }
  return { users, groups };
}
