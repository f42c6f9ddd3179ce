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

  // Roles per principal, as small arrays shared between principals: a tenant has few roles and few
  // combinations of them, so a million users share a handful of arrays (and entitlements, below) instead of
  // one each. An array is never changed once shared: adding a role to a list gives the one list that is
  // that list plus that role (`extended`), the same array for every principal that gets there.
  const NONE: AppRole[] = [];
  const extended = new Map<AppRole[], Map<string, AppRole[]>>();
  const userRoles = new Map<string, AppRole[]>();
  const groupRoles = new Map<string, AppRole[]>();
  const add = (into: Map<string, AppRole[]>, id: string, role: AppRole): void => {
    const roles = into.get(id) ?? NONE;
    let next = extended.get(roles);
    if (!next) extended.set(roles, (next = new Map()));
    let list = next.get(role.id);
    if (!list) next.set(role.id, (list = roles.some((r) => r.id === role.id) ? roles : [...roles, role]));
    if (list !== roles) into.set(id, list);
  };

  for (const a of tenant.assignments) {
    const role = roleById.get(a.roleId) ?? DEFAULT_ACCESS_ROLE;
    if (a.principalKind === 'user') {
      add(userRoles, a.principalId, role);
    } else {
      add(groupRoles, a.principalId, role);
      // Members are resolved users and groups: Entra does not expand nested groups.
      for (const memberId of groupById.get(a.principalId)?.memberIds ?? []) {
        if (!groupById.has(memberId)) add(userRoles, memberId, role);
      }
    }
  }

  // Sorted role lists, one array per distinct list (lists reached in another order sort to the same one),
  // worked out once per shared list.
  const lists = new Map<string, AppRole[]>();
  const sortedOf = new Map<AppRole[], AppRole[]>();
  const sorted = (roles: AppRole[] | undefined): AppRole[] => {
    if (roles === undefined) return NO_ROLES as AppRole[];
    if (roles.length < 2) return roles;
    const known = sortedOf.get(roles);
    if (known) return known;
    const ordered = [...roles].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    const key = ordered.map((r) => r.id).join(' ');
    let shared = lists.get(key);
    if (!shared) lists.set(key, (shared = ordered));
    sortedOf.set(roles, shared);
    return shared;
  };
  // One entitlement per role array among entitled users (entitlements are read, never changed).
  const entitledWith = new Map<AppRole[], Entitlement>();
  const entitled = (roles: AppRole[]): Entitlement => {
    let e = entitledWith.get(roles);
    if (!e) entitledWith.set(roles, (e = { entitled: true, roles }));
    return e;
  };
  const notAssigned: Entitlement = {
    entitled: false,
    roles: NO_ROLES as AppRole[],
    reason: 'NotEffectivelyEntitled: the user is not assigned to the application',
  };

  const users = new Map<string, Entitlement>();
  for (const u of tenant.users) {
    const roles = sorted(userRoles.get(u.id));
    if (settings.scope === 'all') {
      users.set(u.id, entitled(roles));
    } else if (roles.length === 0) {
      users.set(u.id, notAssigned);
    } else if (!settings.provisionDefaultAccess && roles.every((r) => r.id === DEFAULT_ACCESS_ROLE.id)) {
      users.set(u.id, {
        entitled: false,
        roles,
        reason: 'NotEffectivelyEntitled: the user is assigned only the Default Access role (provisionDefaultAccess is false)',
      });
    } else {
      users.set(u.id, entitled(roles));
    }
  }

  const groups = new Map<string, Entitlement>();
  for (const g of tenant.groups) {
    const roles = sorted(groupRoles.get(g.id));
    const isEntitled = settings.scope === 'all' || roles.length > 0;
    groups.set(
      g.id,
      isEntitled
        ? { entitled: true, roles }
        : { entitled: false, roles, reason: 'NotEffectivelyEntitled: the group is not assigned to the application' },
    );
  }
  return { users, groups };
}
