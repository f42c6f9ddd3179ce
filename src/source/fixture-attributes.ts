/**
 * The attribute names a fixture tenant may give users and groups: Entra's Graph names, exactly as spelled by
 * Graph (case-sensitive, like Entra's attribute mapping language).
 */

/** Single-valued user attributes, carried as strings into `SourceUser.attributes`. */
export const USER_STRING_ATTRIBUTES = [
  'displayName',
  'givenName',
  'surname',
  'mail',
  'mailNickname',
  'jobTitle',
  'department',
  'employeeId',
  'telephoneNumber',
  'mobile',
  'facsimileTelephoneNumber',
  'streetAddress',
  'city',
  'state',
  'postalCode',
  'country',
  'physicalDeliveryOfficeName',
  'preferredLanguage',
  'userType',
  'companyName',
  'employeeType',
  // Entra's names for Graph's employeeHireDate, employeeLeaveDateTime, employeeOrgData {costCenter, division} and
  // onPremisesExtensionAttributes.extensionAttribute1..15 (the source-attribute list of an Entra provisioning
  // job; see src/source/graph/user-translations.ts for the evidence).
  'employeeHireDate',
  'employeeLeaveDateTime',
  'employeeOrgData.costCenter',
  'employeeOrgData.division',
  'extensionAttribute1',
  'extensionAttribute2',
  'extensionAttribute3',
  'extensionAttribute4',
  'extensionAttribute5',
  'extensionAttribute6',
  'extensionAttribute7',
  'extensionAttribute8',
  'extensionAttribute9',
  'extensionAttribute10',
  'extensionAttribute11',
  'extensionAttribute12',
  'extensionAttribute13',
  'extensionAttribute14',
  'extensionAttribute15',
] as const;

/** Multi-valued user attributes: lists of strings. */
export const USER_MULTI_VALUED_ATTRIBUTES = ['otherMails', 'proxyAddresses'] as const;

/** Keys with their own meaning (not copied into `attributes`): identity, flags, the manager reference. */
export const USER_SPECIAL_KEYS = ['id', 'userPrincipalName', 'accountEnabled', 'softDeleted', 'manager'] as const;

/** Every key a user entry may have, besides `extension_<appId>_<name>`. */
export const USER_FIXTURE_KEYS: readonly string[] = [...USER_SPECIAL_KEYS, ...USER_STRING_ATTRIBUTES, ...USER_MULTI_VALUED_ATTRIBUTES];

/** Accepted values of `userType`. */
export const USER_TYPES = ['Member', 'Guest'] as const;

/** Single-valued group attributes carried into `SourceGroup.attributes` (`displayName` is a field of its own). */
export const GROUP_STRING_ATTRIBUTES = ['mailNickname', 'description', 'mail'] as const;

/** Every key a group entry may have, besides `extension_<appId>_<name>`. */
export const GROUP_FIXTURE_KEYS: readonly string[] = ['id', 'displayName', 'members', ...GROUP_STRING_ATTRIBUTES];

/**
 * A directory extension attribute as Entra names it: `extension_` + the owning app's id without dashes
 * (32 hex digits) + `_` + the property name. Values may be single strings or string lists (multi-valued
 * extensions).
 */
export const EXTENSION_ATTRIBUTE_PATTERN = /^extension_[0-9a-fA-F]{32}_[A-Za-z0-9_]+$/;

export function isExtensionAttribute(name: string): boolean {
  return EXTENSION_ATTRIBUTE_PATTERN.test(name);
}
