/**
 * The attributes of the SCIM core User and Group schemas (RFC 7643 §4.1, §4.2, and the common attributes of
 * §3.1) and of the enterprise User extension (§4.3), with their sub-attributes: what a mapping's target may
 * name without declaring a schema of its own. A target under any other schema URN (a custom extension, or
 * one an imported schema brings) is the app's own and is not checked here. Names compare case-insensitively
 * (RFC 7643 §2.1). Pure.
 */
import { didYouMean } from '../shared/diagnostics.js';
import type { AttributePath } from './attribute-path.js';
import { ENTERPRISE_USER_SCHEMA } from './types.js';

/** Sub-attributes of a multi-valued attribute (RFC 7643 §2.4). */
const MULTI = ['value', 'display', 'type', 'primary', '$ref'];

const USER: Readonly<Record<string, readonly string[]>> = {
  externalId: [],
  meta: ['resourceType', 'created', 'lastModified', 'location', 'version'],
  userName: [],
  name: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'],
  displayName: [],
  nickName: [],
  profileUrl: [],
  title: [],
  userType: [],
  preferredLanguage: [],
  locale: [],
  timezone: [],
  active: [],
  password: [],
  emails: MULTI,
  phoneNumbers: MULTI,
  ims: MULTI,
  photos: MULTI,
  addresses: ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type', 'primary'],
  groups: MULTI,
  entitlements: MULTI,
  roles: MULTI,
  x509Certificates: MULTI,
};

const GROUP: Readonly<Record<string, readonly string[]>> = {
  externalId: [],
  meta: USER['meta']!,
  displayName: [],
  members: ['value', 'display', 'type', '$ref'],
};

const ENTERPRISE_USER: Readonly<Record<string, readonly string[]>> = {
  employeeNumber: [],
  costCenter: [],
  organization: [],
  division: [],
  department: [],
  manager: ['value', '$ref', 'displayName'],
};

/** What is wrong with a target, where in its text (0-based), and the closest known name. */
export interface TargetProblem {
  message: string;
  index: number;
  suggestion: string | null;
}

/** Null when the target names a known attribute (or one of a schema the app declares); else the problem. */
export function checkTargetAttribute(objectType: 'User' | 'Group', path: AttributePath): TargetProblem | null {
  const enterprise = path.schema !== null && path.schema.toLowerCase() === ENTERPRISE_USER_SCHEMA.toLowerCase();
  if (path.schema !== null && !enterprise) return null;
  const schemaName = enterprise ? 'the enterprise User extension' : `the SCIM core ${objectType} schema`;
  if (enterprise && objectType === 'Group') {
    return { message: 'the enterprise User extension has no Group attributes', index: 0, suggestion: null };
  }
  const table = enterprise ? ENTERPRISE_USER : objectType === 'User' ? USER : GROUP;
  const attributeIndex = path.schema === null ? 0 : path.schema.length + 1;
  const attribute = findName(Object.keys(table), path.attribute);
  if (attribute === undefined) {
    return {
      message: `${schemaName} has no attribute "${path.attribute}"`,
      index: attributeIndex,
      suggestion: didYouMean(path.attribute, Object.keys(table)) ?? null,
    };
  }
  const subs = table[attribute]!;
  if (path.filter !== null && findName(subs, path.filter.attribute) === undefined) {
    const index = path.raw.indexOf('[') + 1;
    const problem =
      subs.length === 0
        ? `"${attribute}" has one value: it takes no filter`
        : `"${attribute}" has no sub-attribute "${path.filter.attribute}" to filter on`;
    return { message: problem, index, suggestion: subs.length === 0 ? null : (didYouMean(path.filter.attribute, subs) ?? null) };
  }
  if (path.subAttribute !== null && findName(subs, path.subAttribute) === undefined) {
    const index = path.raw.length - path.subAttribute.length;
    if (subs.length === 0)
      return { message: `"${attribute}" is a simple attribute: it has no sub-attribute "${path.subAttribute}"`, index, suggestion: null };
    return {
      message: `"${attribute}" has no sub-attribute "${path.subAttribute}"`,
      index,
      suggestion: didYouMean(path.subAttribute, subs) ?? null,
    };
  }
  return null;
}

function findName(names: readonly string[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return names.find((n) => n.toLowerCase() === lower);
}
