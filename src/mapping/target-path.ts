/**
 * Flat target paths, as Entra's mapping rows name SCIM attributes, and reading them from SCIM resources.
 *
 * Examples: `userName`, `name.givenName`, `emails[type eq "work"].value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`, `roles[primary eq "True"].value`.
 * SCIM attribute names are case-insensitive (RFC 7643 §2.1), so reads from a resource match keys that way.
 */
import { parseTargetPath as parsePathSyntax, type TargetPath as SyntaxPath } from '../mapping-file/target-path.js';

export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A parsed target path (the grammar lives in mapping-file/target-path.ts) plus its text. */
export interface TargetPath extends SyntaxPath {
  raw: string;
}

const CORE_SCHEMAS = new Set([CORE_USER_SCHEMA.toLowerCase(), CORE_GROUP_SCHEMA.toLowerCase()]);

/**
 * Parses a target path, or returns null when it is not valid (the job loader has already reported where).
 * A core attribute written with its core schema URN is the same attribute as without it.
 */
export function parseTargetPath(raw: string): TargetPath | null {
  const result = parsePathSyntax(raw);
  if (!result.ok) return null;
  const { schema } = result.path;
  return { raw, ...result.path, schema: schema !== null && CORE_SCHEMAS.has(schema.toLowerCase()) ? null : schema };
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
