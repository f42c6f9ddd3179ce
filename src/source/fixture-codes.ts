/**
 * Diagnostic codes of the fixture tenant loader. Stable: tests and users match on them. Every code except
 * the file-level ones (`FIXTURE_MISSING_FILE`, `FIXTURE_AMBIGUOUS_FILE`, `FIXTURE_READ_FAILED`) comes with
 * the file, line and column of the offending node.
 */
export const FIXTURE_CODES = {
  /** A required file (users, assignments) is not in the tenant directory. */
  FIXTURE_MISSING_FILE: 'FIXTURE_MISSING_FILE',
  /** Two spellings of the same file exist (e.g. users.yaml and users.json); only one may. */
  FIXTURE_AMBIGUOUS_FILE: 'FIXTURE_AMBIGUOUS_FILE',
  /** The directory or a file in it could not be read. */
  FIXTURE_READ_FAILED: 'FIXTURE_READ_FAILED',
  /** Malformed YAML/JSON, at the parser's position (also used, as a warning, for parser warnings). */
  FIXTURE_SYNTAX: 'FIXTURE_SYNTAX',
  /** The file's top level is not what the format prescribes (a list of users/groups; an assignments map). */
  FIXTURE_WRONG_SHAPE: 'FIXTURE_WRONG_SHAPE',
  /** A value has the wrong type (a list where a string belongs, a string where true/false belongs…). */
  FIXTURE_WRONG_TYPE: 'FIXTURE_WRONG_TYPE',
  /** A key the format does not know, with a did-you-mean. */
  FIXTURE_UNKNOWN_KEY: 'FIXTURE_UNKNOWN_KEY',
  /** A key starting with `extension_` that is not `extension_<32 hex appId>_<name>`. */
  FIXTURE_BAD_EXTENSION_NAME: 'FIXTURE_BAD_EXTENSION_NAME',
  /** A required key is absent (user id/userPrincipalName, group id/displayName, app, role fields, principal). */
  FIXTURE_MISSING_KEY: 'FIXTURE_MISSING_KEY',
  /** A value of the right type that is not allowed (userType other than Member/Guest, a UPN without @…). */
  FIXTURE_INVALID_VALUE: 'FIXTURE_INVALID_VALUE',
  /** An object or role id that is not a GUID. */
  FIXTURE_INVALID_ID: 'FIXTURE_INVALID_ID',
  /** Two objects (users and groups together) or two app roles share an id. */
  FIXTURE_DUPLICATE_ID: 'FIXTURE_DUPLICATE_ID',
  /** Two users share a userPrincipalName (compared case-insensitively, as Entra does). */
  FIXTURE_DUPLICATE_UPN: 'FIXTURE_DUPLICATE_UPN',
  /** Two app roles share a value. */
  FIXTURE_DUPLICATE_ROLE: 'FIXTURE_DUPLICATE_ROLE',
  /** A manager, group member or assignment principal that names no object (or an object of the wrong kind). */
  FIXTURE_UNRESOLVED_REFERENCE: 'FIXTURE_UNRESOLVED_REFERENCE',
  /** An assignment principal given by a group displayName that several groups have. */
  FIXTURE_AMBIGUOUS_REFERENCE: 'FIXTURE_AMBIGUOUS_REFERENCE',
  /** An assignment's role is neither a value nor a displayName of the app's roles. */
  FIXTURE_UNKNOWN_ROLE: 'FIXTURE_UNKNOWN_ROLE',
  /** A user is their own manager. */
  FIXTURE_SELF_MANAGER: 'FIXTURE_SELF_MANAGER',
  /** A group contains itself, directly or through nested groups. */
  FIXTURE_GROUP_CYCLE: 'FIXTURE_GROUP_CYCLE',
  /** Warning: a group lists the same member twice (by id and UPN, or twice the same way); kept once. */
  FIXTURE_DUPLICATE_MEMBER: 'FIXTURE_DUPLICATE_MEMBER',
  /** The same principal is assigned the same role twice (Entra refuses the second assignment). */
  FIXTURE_DUPLICATE_ASSIGNMENT: 'FIXTURE_DUPLICATE_ASSIGNMENT',
} as const;

export type FixtureCode = keyof typeof FIXTURE_CODES;
