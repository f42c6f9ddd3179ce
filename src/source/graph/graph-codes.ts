/**
 * Diagnostic codes of the Microsoft Graph export reader. Stable: tests and users match on them.
 *
 * Errors withhold the tenant: a file that cannot be read or is not a Graph page, a missing page, no usable users,
 * no usable assignments (when there were some), or no app. Everything else is a warning about one item that was left out or changed (with the file and the item's
 * index, `value[17]`, and its line and column), and the rest of the export is used.
 */
export const GRAPH_CODES = {
  /** Error: the export lacks a file the tenant needs (users pages, servicePrincipal.json, appRoleAssignedTo pages). */
  GRAPH_MISSING_FILE: 'GRAPH_MISSING_FILE',
  /** Error: the directory or a file in it could not be read. */
  GRAPH_READ_FAILED: 'GRAPH_READ_FAILED',
  /** Error: a file is not JSON. */
  GRAPH_SYNTAX: 'GRAPH_SYNTAX',
  /** Error: a file is JSON but not a Graph page (`{"value": […]}` or a plain array), e.g. a saved Graph error. */
  GRAPH_NOT_A_PAGE: 'GRAPH_NOT_A_PAGE',
  /** Error: the last page of a collection has `@odata.nextLink`, so Graph had more pages than the export holds. */
  GRAPH_MISSING_PAGE: 'GRAPH_MISSING_PAGE',
  /** Error: a directory holds both a fixture tenant and a Graph export. */
  GRAPH_MIXED_DIRECTORY: 'GRAPH_MIXED_DIRECTORY',
  /** Error: servicePrincipal.json is not one service principal with a displayName. */
  GRAPH_BAD_SERVICE_PRINCIPAL: 'GRAPH_BAD_SERVICE_PRINCIPAL',
  /** Error: the users pages were read, but no user in them can be used (none, or each left out). */
  GRAPH_NO_USERS: 'GRAPH_NO_USERS',
  /** Error: the appRoleAssignedTo pages hold assignments of users or groups, and every one was left out. */
  GRAPH_NO_ASSIGNMENTS: 'GRAPH_NO_ASSIGNMENTS',
  /** Warning: a page without `@odata.nextLink` (Graph's last) is followed by another page of the same collection. */
  GRAPH_PAGE_ORDER: 'GRAPH_PAGE_ORDER',
  /** Warning: a `.json` file whose name is not one of a Graph export's; it was not read. */
  GRAPH_UNKNOWN_FILE: 'GRAPH_UNKNOWN_FILE',
  /** Warning: an object in a file repeats a key (JSON keeps the last value). */
  GRAPH_DUPLICATE_KEY: 'GRAPH_DUPLICATE_KEY',
  /** Warning: an item is not an object, or not of the kind its file holds (a device in users.json). */
  GRAPH_NOT_AN_OBJECT: 'GRAPH_NOT_AN_OBJECT',
  /** Warning: an item lacks what identifies it (a user's id or userPrincipalName, a group's id or displayName). */
  GRAPH_MISSING_KEY: 'GRAPH_MISSING_KEY',
  /** Warning: an object or role id that is not a GUID. */
  GRAPH_INVALID_ID: 'GRAPH_INVALID_ID',
  /** Warning: a value of the right type that Entra does not allow (a UPN without @, a userType other than Member/Guest). */
  GRAPH_INVALID_VALUE: 'GRAPH_INVALID_VALUE',
  /** Warning: a property whose value is not of the type the translation reads (a number for a string…). */
  GRAPH_UNUSABLE_VALUE: 'GRAPH_UNUSABLE_VALUE',
  /** Warning: a number JSON may not hold exactly (beyond 2^53, or more significant digits than a double keeps): digits may be lost. */
  GRAPH_IMPRECISE_NUMBER: 'GRAPH_IMPRECISE_NUMBER',
  /** Warning: more values than the Entra attribute holds (a second businessPhones entry). */
  GRAPH_EXTRA_VALUES: 'GRAPH_EXTRA_VALUES',
  /** Warning: properties with values that no Entra source attribute provsim knows reads (one per file, with counts). */
  GRAPH_UNUSED_PROPERTY: 'GRAPH_UNUSED_PROPERTY',
  /** Warning: a property starting with `extension_` that is not `extension_<32 hex appId>_<name>`. */
  GRAPH_BAD_EXTENSION_NAME: 'GRAPH_BAD_EXTENSION_NAME',
  /** Warning: no user in the export carries accountEnabled, so every user counts as enabled. */
  GRAPH_NO_ACCOUNT_ENABLED: 'GRAPH_NO_ACCOUNT_ENABLED',
  /** Warning: an object id seen before (on another page, or a group with a user's id); the first is kept. */
  GRAPH_DUPLICATE_ID: 'GRAPH_DUPLICATE_ID',
  /** Warning: a userPrincipalName seen before (ignoring case); the first user is kept. */
  GRAPH_DUPLICATE_UPN: 'GRAPH_DUPLICATE_UPN',
  /** Warning: a manager that is not a user of the export (another kind, not exported, the user themself). */
  GRAPH_UNRESOLVED_MANAGER: 'GRAPH_UNRESOLVED_MANAGER',
  /** Warning: a group member Entra does not provision (a device, service principal, contact). */
  GRAPH_UNSUPPORTED_MEMBER: 'GRAPH_UNSUPPORTED_MEMBER',
  /** Warning: a group member that is not a user or group of the export. */
  GRAPH_UNRESOLVED_MEMBER: 'GRAPH_UNRESOLVED_MEMBER',
  /** Warning: a member listed twice for one group; kept once. */
  GRAPH_DUPLICATE_MEMBER: 'GRAPH_DUPLICATE_MEMBER',
  /** Warning: a members file for a group that is not in the groups pages; its members were not read. */
  GRAPH_UNKNOWN_GROUP: 'GRAPH_UNKNOWN_GROUP',
  /** Warning: a nested group that would make a group contain itself; that membership was left out. */
  GRAPH_GROUP_CYCLE: 'GRAPH_GROUP_CYCLE',
  /** Warning: a group assigned to the app without a members file: it is provisioned without members. */
  GRAPH_NO_MEMBERS_FILE: 'GRAPH_NO_MEMBERS_FILE',
  /** Warning: an app role assignment to a service principal; Entra provisions users and groups only. */
  GRAPH_SERVICE_PRINCIPAL_ASSIGNMENT: 'GRAPH_SERVICE_PRINCIPAL_ASSIGNMENT',
  /** Warning: an assignment whose principal is not a user or group of the export. */
  GRAPH_UNRESOLVED_ASSIGNMENT: 'GRAPH_UNRESOLVED_ASSIGNMENT',
  /** Warning: an assignment whose appRoleId is not a role of servicePrincipal.json. */
  GRAPH_UNKNOWN_ROLE: 'GRAPH_UNKNOWN_ROLE',
  /** Warning: an assignment to another service principal than servicePrincipal.json's (resourceId). */
  GRAPH_OTHER_RESOURCE: 'GRAPH_OTHER_RESOURCE',
  /** Warning: the same principal assigned the same role twice; kept once. */
  GRAPH_DUPLICATE_ASSIGNMENT: 'GRAPH_DUPLICATE_ASSIGNMENT',
  /** Warning: an app role that cannot be used (no GUID id, no value, a repeated id or value). */
  GRAPH_BAD_ROLE: 'GRAPH_BAD_ROLE',
} as const;

export type GraphCode = keyof typeof GRAPH_CODES;

/**
 * The codes whose message and hint are fixed text, counts and file names only: nothing of what the export's
 * files hold (no name, mail, value or URL). `import-graph --anonymize` prints these in full and the others
 * without their text. Add a code here only if every message of it stays so.
 */
export const GRAPH_CODES_WITHOUT_DATA: ReadonlySet<string> = new Set<string>([
  GRAPH_CODES.GRAPH_MISSING_FILE,
  GRAPH_CODES.GRAPH_READ_FAILED,
  GRAPH_CODES.GRAPH_MIXED_DIRECTORY,
  GRAPH_CODES.GRAPH_NO_USERS,
  GRAPH_CODES.GRAPH_NO_ASSIGNMENTS,
  GRAPH_CODES.GRAPH_UNKNOWN_FILE,
  GRAPH_CODES.GRAPH_DUPLICATE_KEY,
  GRAPH_CODES.GRAPH_NO_ACCOUNT_ENABLED,
]);
