/**
 * POST bodies from flat target paths (spec §1.5): `name.givenName` → `name: {givenName}`,
 * `emails[type eq "work"].value` → `emails: [{type: "work", value, primary: true}]`, enterprise attributes
 * nested under their schema URN, null values left out, `meta.resourceType` set. The quirks that shape the
 * body (scim/quirks.ts, each with its evidence): `"roles": []` and `"members": []` when nothing fills
 * them, the ADSCIM group URI, `primary` on work elements, and the key order of Entra's captured POSTs.
 */
import { isBooleanPath, toJsonBoolean, type AttributePath } from './attribute-path.js';
import { defaultQuirks, type Quirks } from './quirks.js';
import type { ObjectType } from '../model/records.js';
import { ADSCIM_GROUP_SCHEMA, CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, type ScimResource } from './types.js';

/** The quirks that shape POST bodies. */
export type CreateBodyOptions = Pick<
  Quirks,
  'emptyRolesOnCreate' | 'adscimGroupSchema' | 'primaryOnWorkElements' | 'emptyMembersOnCreate' | 'captureKeyOrder'
>;

export interface RoleEntry {
  primary: boolean;
  type: string;
  display?: string;
  value: string;
}

export interface BodyEntry {
  path: AttributePath;
  /** A string, or a list of role entries for role expressions. */
  value: string | RoleEntry[];
}

const FILTER_BOOLEAN_ATTRIBUTES = new Set(['primary']);

export function buildCreateBody(
  objectType: ObjectType,
  entries: readonly BodyEntry[],
  options: CreateBodyOptions = defaultQuirks('legacy'),
): ScimResource {
  const body: ScimResource = {
    schemas:
      objectType === 'User'
        ? [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA]
        : options.adscimGroupSchema
          ? [CORE_GROUP_SCHEMA, ADSCIM_GROUP_SCHEMA]
          : [CORE_GROUP_SCHEMA],
  };
  for (const entry of entries) place(body, entry, options.primaryOnWorkElements);
  if (objectType === 'User' && options.emptyRolesOnCreate && body['roles'] === undefined) body['roles'] = [];
  // Members are never in a group POST: they follow as PATCHes once the members exist (spec §1.10).
  if (objectType === 'Group' && options.emptyMembersOnCreate) body['members'] = [];
  body['meta'] = { resourceType: objectType };
  return options.captureKeyOrder ? inCaptureOrder(objectType, body) : body;
}

/** Keys that lead Entra's captured POSTs, in order (users; groups lead with displayName instead of userName). */
const LEADING_KEYS: Record<ObjectType, readonly string[]> = {
  User: ['schemas', 'externalId', 'userName', 'active'],
  Group: ['schemas', 'externalId', 'displayName'],
};

/**
 * The body with Entra's captured key order (quirk captureKeyOrder): the leading keys, then the rest in
 * ordinal order (as .NET sorts: code units, so an upper-case key sorts before a lower-case one), and the
 * keys of nested objects (name, elements of emails, the extension objects) in ordinal order too. Values
 * are not changed, and arrays keep their element order.
 */
function inCaptureOrder(objectType: ObjectType, body: ScimResource): ScimResource {
  const lead = LEADING_KEYS[objectType];
  const out: ScimResource = {};
  for (const key of lead) if (key in body) out[key] = key === 'schemas' ? body[key] : sortedKeys(body[key]);
  const rest = Object.keys(body).filter((k) => !lead.includes(k));
  for (const key of sortInPlace(rest)) out[key] = sortedKeys(body[key]);
  return out;
}

/**
 * `value` with the keys of every object in it in ordinal order. It works on a body `buildCreateBody` has
 * just built, which nothing else holds: an object already in order, and every array, is kept and its
 * values replaced in place; only an object out of order is rebuilt.
 */
function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = sortedKeys(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let ordered = true;
  for (let i = 1; i < keys.length && ordered; i++) ordered = ordinal(keys[i - 1]!, keys[i]!) < 0;
  if (ordered) {
    for (const k of keys) record[k] = sortedKeys(record[k]);
    return record;
  }
  sortInPlace(keys);
  // Assigning `__proto__` would set the prototype, not a key: such an object goes through fromEntries.
  if (keys.includes('__proto__')) return Object.fromEntries(keys.map((k) => [k, sortedKeys(record[k])]));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = sortedKeys(record[k]);
  return out;
}

/** `keys` in ordinal order, sorted in place: an insertion sort, for the few keys of a body's object. */
function sortInPlace(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && ordinal(keys[j]!, key) > 0; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = key;
  }
  return keys;
}

function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function containerFor(body: ScimResource, path: AttributePath): Record<string, unknown> {
  if (!path.schema) return body;
  const existing = body[path.schema];
  if (existing && typeof existing === 'object') return existing as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  body[path.schema] = created;
  // Custom extension URNs are not listed in `schemas`: Entra's SCIM client does not send them (spec §1.5).
  return created;
}

function place(body: ScimResource, entry: BodyEntry, primaryOnWorkElements: boolean): void {
  const { path, value } = entry;
  const container = containerFor(body, path);
  if (Array.isArray(value)) {
    container[path.attribute] = value.map((r) => ({ ...r }));
    return;
  }
  if (path.filter) {
    let list = container[path.attribute];
    if (!Array.isArray(list)) container[path.attribute] = list = [];
    const items = list as Record<string, unknown>[];
    const filterValue = FILTER_BOOLEAN_ATTRIBUTES.has(path.filter.attribute) ? toJsonBoolean(path.filter.value) : path.filter.value;
    let element = items.find((e) => e[path.filter!.attribute] === filterValue);
    if (!element) {
      element = { [path.filter.attribute]: filterValue };
      if (path.filter.attribute === 'type' && path.filter.value === 'work' && (primaryOnWorkElements || path.attribute === 'emails'))
        element['primary'] = true;
      if (path.attribute === 'roles') element['type'] = 'WindowsAzureActiveDirectoryRole';
      items.push(element);
    }
    element[path.subAttribute ?? 'value'] = value;
    return;
  }
  if (path.subAttribute) {
    let parent = container[path.attribute];
    if (!parent || typeof parent !== 'object') container[path.attribute] = parent = {};
    (parent as Record<string, unknown>)[path.subAttribute] = value;
    return;
  }
  container[path.attribute] = isBooleanPath(path) ? toJsonBoolean(value) : value;
}
