/**
 * The fixture tenant: an Entra tenant on disk, as the loader returns it after validation and reference
 * resolution. Plain data; every reference (manager, members, assignment principals, roles) is resolved to
 * an object id, so later stages never deal with UPNs or display names as references. One exception to
 * "plain": the users of a large JSON Lines tenant are `LineUser`s (source/json/line-user.ts), whose
 * `attributes` and `location` are accessors that read the user's line back from its file, and its
 * assignments are `CompactAssignment`s (source/json/compact-assignment.ts), whose `location` is an
 * accessor; copy users and assignments field by field, not with a spread.
 */
import type { Position } from '../shared/diagnostics.js';

/** Where an object was defined, for messages that point back at the fixture file. */
export interface SourceLocation {
  file: string;
  position: Position;
}

/**
 * A source attribute value as Entra's mapping language sees it: strings (booleans are "True"/"False",
 * as in Entra), string lists for multi-valued attributes, or null when absent.
 */
export type SourceValue = string | string[] | null;

export interface SourceUser {
  /** Entra object id (a GUID); mappings see it as `objectId`. */
  id: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  softDeleted: boolean;
  /** The manager's object id (resolved from an id or UPN in the fixture), or null. */
  managerId: string | null;
  /**
   * Every other attribute given in the fixture, by its Graph name (`displayName`, `givenName`, `department`,
   * `extension_<appId>_<name>`…), converted to strings. Does not contain id/userPrincipalName/accountEnabled/
   * softDeleted/manager; the mapping stage adds Entra's computed names (`objectId`, `IsSoftDeleted`…).
   */
  attributes: Record<string, SourceValue>;
  location: SourceLocation;
}

export interface SourceGroup {
  id: string;
  displayName: string;
  /** Direct members, resolved to object ids; users and groups, in fixture order, without duplicates. */
  memberIds: string[];
  /** `mailNickname`, `description`, and any other attribute given (strings). */
  attributes: Record<string, SourceValue>;
  location: SourceLocation;
}

export interface AppRole {
  id: string;
  value: string;
  displayName: string;
}

/** Entra's implicit role for apps without roles, and for assignments that name none. */
export const DEFAULT_ACCESS_ROLE: AppRole = {
  id: '00000000-0000-0000-0000-000000000000',
  value: 'msiam_access',
  displayName: 'Default Access',
};

export interface Assignment {
  principalKind: 'user' | 'group';
  principalId: string;
  /** The role's id; DEFAULT_ACCESS_ROLE.id when the assignment names no role. */
  roleId: string;
  location: SourceLocation;
}

export interface Tenant {
  /** The directory it was read from. */
  dir: string;
  users: SourceUser[];
  groups: SourceGroup[];
  app: { name: string; appRoles: AppRole[] };
  assignments: Assignment[];
}
