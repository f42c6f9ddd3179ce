/**
 * The Entra source attribute names a mapping may read (Direct rows, scoping clauses, and — through the
 * expression compiler — `[attribute]` references). Case-sensitive, as in Entra.
 *
 * Users: every attribute a fixture user can carry, under Entra's names (the fixture's `id` and `softDeleted`
 * are seen as `objectId` and `IsSoftDeleted`), plus the computed ones. Both lists also accept any
 * `extension_<32 hex appId>_<name>` (see `isSourceAttribute`).
 */
import { USER_MULTI_VALUED_ATTRIBUTES, USER_STRING_ATTRIBUTES, isExtensionAttribute } from '../source/fixture-attributes.js';

export const USER_SOURCE_ATTRIBUTES: readonly string[] = [
  'objectId',
  'userPrincipalName',
  'originalUserPrincipalName',
  'accountEnabled',
  'IsSoftDeleted',
  'manager',
  'appRoleAssignments',
  ...USER_STRING_ATTRIBUTES,
  ...USER_MULTI_VALUED_ATTRIBUTES,
];

export const GROUP_SOURCE_ATTRIBUTES: readonly string[] = ['objectId', 'displayName', 'mailNickname', 'description', 'members', 'mail'];

export type SourceObjectKind = 'user' | 'group';

export function sourceAttributesOf(kind: SourceObjectKind): readonly string[] {
  return kind === 'user' ? USER_SOURCE_ATTRIBUTES : GROUP_SOURCE_ATTRIBUTES;
}

/** A known source attribute of `kind`, or a directory extension attribute (any, for users and groups). */
export function isSourceAttribute(kind: SourceObjectKind, name: string): boolean {
  return sourceAttributesOf(kind).includes(name) || isExtensionAttribute(name);
}

/** Reference attributes: their values are other objects, so they cannot be matched on or scoped on. */
export const REFERENCE_SOURCE_ATTRIBUTES: readonly string[] = ['manager', 'members'];

/**
 * Attributes Entra refuses in scoping filters, with the reason (spec §4.2: group members, multi-valued
 * attributes, appRoleAssignments, manager). `userType` is allowed: Microsoft's known-issues page lists it, but
 * scoping on it (`userType NOT EQUALS Guest`) is the most common filter in practice; see SCOPING_WARNINGS.
 */
export const UNSCOPABLE_SOURCE_ATTRIBUTES: Readonly<Record<string, string>> = {
  manager: 'manager is a reference attribute',
  members: 'group membership (members) is not supported in scoping filters',
  appRoleAssignments: 'appRoleAssignments is not supported in scoping filters; use assignments instead',
  ...Object.fromEntries(
    USER_MULTI_VALUED_ATTRIBUTES.map((a) => [a, `${a} is multi-valued, and scoping filters only evaluate single-valued attributes`]),
  ),
};

/** Attributes Entra's documentation warns about in scoping filters: allowed, with a warning. */
export const SCOPING_WARNINGS: Readonly<Record<string, string>> = {
  userType:
    "Microsoft's known-issues page lists userType among attributes scoping filters do not support; provsim evaluates it, real Entra may not",
};

/** A did-you-mean for names users commonly carry over from the fixture format or Graph. */
export const SOURCE_ATTRIBUTE_ALIASES: Readonly<Record<string, string>> = {
  id: 'objectId',
  softDeleted: 'IsSoftDeleted',
};
