/**
 * Flat target paths, as Entra's mapping rows name SCIM attributes, and their SCIM structure.
 *
 *   path      = [ schemaUrn ":" ] attribute [ "[" filterAttr " eq " '"' filterValue '"' "]" ] [ "." subAttribute ]
 *   schemaUrn = "urn:" … (everything before the last ":" of a URN path)
 *
 * Examples: `userName`, `name.givenName`, `emails[type eq "work"].value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`, `roles[primary eq "True"].value`.
 * SCIM attribute names are case-insensitive (RFC 7643 §2.1), so reads from a resource match keys that way.
 */

export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export interface TargetPath {
  raw: string;
  /** The extension schema URN, or null for core attributes. */
  schema: string | null;
  attribute: string;
  filter: { attribute: string; value: string } | null;
  subAttribute: string | null;
}

const CORE_PATH = /^([A-Za-z$][\w$-]*)(?:\[\s*([A-Za-z][\w-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\])?(?:\.([A-Za-z$][\w$-]*))?$/;

/** Parses a target path, or returns null when it is not of a form above. */
export function parseTargetPath(raw: string): TargetPath | null {
  let schema: string | null = null;
  let rest = raw;
  if (raw.toLowerCase().startsWith('urn:')) {
    const bracket = raw.indexOf('[');
    const searchEnd = bracket === -1 ? raw.length : bracket;
    const lastColon = raw.lastIndexOf(':', searchEnd);
    if (lastColon <= 4) return null;
    schema = raw.slice(0, lastColon);
    rest = raw.slice(lastColon + 1);
  }
  const m = CORE_PATH.exec(rest);
  if (!m) return null;
  return {
    raw,
    schema,
    attribute: m[1]!,
    filter: m[2] !== undefined ? { attribute: m[2], value: m[3]!.replace(/\\(.)/g, '$1') } : null,
    subAttribute: m[4] ?? null,
  };
}

/** Case-insensitive property read (SCIM attribute names are case-insensitive). */
export function getProperty(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const record = obj as Record<string, unknown>;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

function filterMatches(element: unknown, filter: { attribute: string; value: string }): boolean {
  const v = getProperty(element, filter.attribute);
  if (typeof v === 'boolean') return String(v).toLowerCase() === filter.value.toLowerCase();
  return typeof v === 'string' && v.toLowerCase() === filter.value.toLowerCase();
}

/** The element of a multi-valued attribute selected by the path's filter, if any. */
export function findFilteredElement(resource: unknown, path: TargetPath): Record<string, unknown> | undefined {
  if (!path.filter) return undefined;
  const container = path.schema ? getProperty(resource, path.schema) : resource;
  const list = getProperty(container, path.attribute);
  if (!Array.isArray(list)) return undefined;
  return list.find((e) => filterMatches(e, path.filter!)) as Record<string, unknown> | undefined;
}

/**
 * The value a resource holds at `path`, normalised for comparison: strings stay, booleans become
 * "True"/"False" (Entra's string booleans), numbers their text; `{value: x}` (manager) becomes x;
 * absent, null and "" are all null. Arrays (e.g. roles) are returned as-is.
 */
export function readPath(resource: unknown, path: TargetPath): unknown {
  let value: unknown;
  if (path.filter) {
    const element = findFilteredElement(resource, path);
    value = element === undefined ? undefined : getProperty(element, path.subAttribute ?? 'value');
  } else {
    const container = path.schema ? getProperty(resource, path.schema) : resource;
    const top = getProperty(container, path.attribute);
    value = path.subAttribute ? getProperty(top, path.subAttribute) : top;
  }
  return normaliseScalar(value);
}

export function normaliseScalar(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    const inner = getProperty(value, 'value');
    if (inner !== undefined) return normaliseScalar(inner);
  }
  return value;
}

/** Attributes whose SCIM type is boolean: POST bodies carry real JSON booleans for them (spec §1.5). */
const BOOLEAN_ATTRIBUTES = new Set(['active']);

export function isBooleanPath(path: TargetPath): boolean {
  return path.schema === null && path.filter === null && path.subAttribute === null && BOOLEAN_ATTRIBUTES.has(path.attribute.toLowerCase());
}

/** "True"/"False" (any case) → boolean; anything else unchanged. */
export function toJsonBoolean(value: string): boolean | string {
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : value;
}
