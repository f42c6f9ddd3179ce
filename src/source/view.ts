/**
 * What a mapping sees of a source object: Entra's attribute names, including the computed ones
 * (`objectId`, `IsSoftDeleted`, `appRoleAssignments`). Pure.
 */
import type { AppRole, SourceGroup, SourceUser, SourceValue } from '../model/directory.js';

export interface SourceView {
  attributes: Record<string, SourceValue>;
  appRoleAssignments: AppRole[];
}

const bool = (b: boolean): string => (b ? 'True' : 'False');

/**
 * B2B guests: Entra strips `#EXT#@<tenant>` from `userPrincipalName` when it is used as a source
 * (`alice_fabrikam.com#EXT#@contoso.onmicrosoft.com` → `alice@fabrikam.com`); `originalUserPrincipalName`
 * keeps the raw value (spec §2.1).
 */
export function effectiveUserPrincipalName(upn: string): string {
  const ext = upn.indexOf('#EXT#@');
  if (ext === -1) return upn;
  const alias = upn.slice(0, ext);
  const cut = alias.lastIndexOf('_');
  return cut === -1 ? alias : `${alias.slice(0, cut)}@${alias.slice(cut + 1)}`;
}

/** Role values per roles array: most users share a handful of role arrays (hot path: one view per user). */
const roleValues = new WeakMap<readonly AppRole[], string[]>();
function valuesOf(roles: readonly AppRole[]): string[] {
  let values = roleValues.get(roles);
  if (!values) roleValues.set(roles, (values = roles.map((r) => r.value)));
  return values;
}

/**
 * One attribute of `userView(user, isSoftDeleted, roles)`, without building the view (hashing an
 * incremental cycle's unchanged users reads a few attributes of each). Must agree with `userView`; a test
 * checks every attribute of generated users against it.
 */
export function userViewAttribute(user: SourceUser, key: string, isSoftDeleted: boolean, roles: AppRole[]): SourceValue | undefined {
  switch (key) {
    case 'objectId':
      return user.id;
    case 'userPrincipalName':
      return effectiveUserPrincipalName(user.userPrincipalName);
    case 'originalUserPrincipalName':
      return user.userPrincipalName;
    case 'accountEnabled':
      return bool(user.accountEnabled);
    case 'IsSoftDeleted':
      return bool(isSoftDeleted);
    case 'manager':
      return user.managerId;
    case 'appRoleAssignments':
      return valuesOf(roles);
    default:
      // As the view reads it (the view is a spread of these attributes, with the same prototype).
      return user.attributes[key];
  }
}

export function userView(user: SourceUser, isSoftDeleted: boolean, roles: AppRole[]): SourceView {
  return {
    attributes: {
      ...user.attributes,
      objectId: user.id,
      userPrincipalName: effectiveUserPrincipalName(user.userPrincipalName),
      originalUserPrincipalName: user.userPrincipalName,
      accountEnabled: bool(user.accountEnabled),
      IsSoftDeleted: bool(isSoftDeleted),
      manager: user.managerId,
      appRoleAssignments: valuesOf(roles),
    },
    appRoleAssignments: roles,
  };
}

export function groupView(group: SourceGroup, roles: AppRole[]): SourceView {
  return {
    attributes: {
      ...group.attributes,
      objectId: group.id,
      displayName: group.displayName,
      members: group.memberIds,
      appRoleAssignments: valuesOf(roles),
    },
    appRoleAssignments: roles,
  };
}
