/**
 * SCIM attribute paths, as Entra's mapping rows (customappsso schema) name target attributes, and reading
 * them from SCIM resources:
 *
 *   userName | name.givenName | emails[type eq "work"].value | <schema URN>:<attr>[.<sub>]
 *
 * e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`. Attribute names follow SCIM
 * (a letter, then letters, digits, `_`, `-`); one level of sub-attributes; the only filter form is
 * `[<attr> eq "<value>"]` and it must be followed by `.<sub>`. No spaces outside the filter.
 * SCIM attribute names are case-insensitive (RFC 7643 §2.1), so reads from a resource match keys that way.
 */
import { CORE_GROUP_SCHEMA, CORE_USER_SCHEMA } from './types.js';

export interface AttributePath {
  /** The path as written; PATCH operations send it as their `path`. */
  raw: string;
  /**
   * The schema URN before the attribute (`urn:…:User`), or null for a core attribute: one written with its
   * core schema URN (`urn:…:core:2.0:User:userName`) is the same attribute as without it.
   */
  schema: string | null;
  attribute: string;
  filter: { attribute: string; value: string } | null;
  subAttribute: string | null;
}

/** `index` is the offending character's 0-based index in the path text. */
export type AttributePathResult = { ok: true; path: AttributePath } | { ok: false; index: number; message: string };

const NAME = /^[A-Za-z][A-Za-z0-9_-]*/;
const URN_SEGMENT = /^[A-Za-z0-9._-]+$/;
const CORE_SCHEMAS = new Set([CORE_USER_SCHEMA.toLowerCase(), CORE_GROUP_SCHEMA.toLowerCase()]);

/** The parsed path, or the first error with its position (the mapping-file loader's diagnostics point there). */
export function parseAttributePath(text: string): AttributePathResult {
  if (text.length === 0) return fail(0, 'the target path is empty');
  const brackets = checkBrackets(text);
  if (brackets) return brackets;

  let schema: string | null = null;
  let start = 0;
  if (text.toLowerCase().startsWith('urn:')) {
    const bracket = text.indexOf('[');
    const searchEnd = bracket === -1 ? text.length : bracket;
    const lastColon = text.lastIndexOf(':', searchEnd - 1);
    if (lastColon <= 3) return fail(4, 'a schema URN must be followed by `:<attribute>`');
    schema = text.slice(0, lastColon);
    const segments = schema.split(':');
    let offset = 0;
    for (const segment of segments) {
      if (!URN_SEGMENT.test(segment)) {
        const bad = segment === '' ? offset : offset + [...segment].findIndex((c) => !/[A-Za-z0-9._-]/.test(c));
        return fail(bad, segment === '' ? 'empty segment in the schema URN' : `unexpected ${quoteChar(text[bad])} in the schema URN`);
      }
      offset += segment.length + 1;
    }
    if (segments.length < 3) return fail(lastColon, 'a schema URN has the form urn:<namespace>:<name>, followed by `:<attribute>`');
    start = lastColon + 1;
  }

  let i = start;
  const name = (what: string): string | AttributePathResult => {
    const m = NAME.exec(text.slice(i));
    if (!m) return fail(i, i >= text.length ? `expected ${what} at the end of the path` : `expected ${what}, found ${quoteChar(text[i])}`);
    i += m[0].length;
    return m[0];
  };

  const attribute = name('an attribute name');
  if (typeof attribute !== 'string') return attribute;

  let filter: AttributePath['filter'] = null;
  if (text[i] === '[') {
    i++;
    const filterAttribute = name('an attribute name after `[`');
    if (typeof filterAttribute !== 'string') return filterAttribute;
    if (text.slice(i, i + 4) !== ' eq ') return fail(i, 'a filter has the form `[type eq "value"]`');
    i += 4;
    if (text[i] !== '"') return fail(i, 'the filter value must be in double quotes: `[type eq "value"]`');
    const close = text.indexOf('"', i + 1);
    // checkBrackets guarantees the closing quote exists.
    const value = text.slice(i + 1, close);
    i = close + 1;
    if (text[i] !== ']') return fail(i, 'expected `]` after the filter value');
    i++;
    filter = { attribute: filterAttribute, value };
    if (text[i] !== '.') return fail(i, 'a filtered attribute must be followed by `.<subAttribute>`, e.g. `emails[type eq "work"].value`');
  }

  let subAttribute: string | null = null;
  if (text[i] === '.') {
    i++;
    const sub = name('a sub-attribute name after `.`');
    if (typeof sub !== 'string') return sub;
    subAttribute = sub;
    if (text[i] === '.') return fail(i, 'SCIM attributes have at most one level of sub-attributes');
  }
  if (i < text.length) {
    const c = text[i];
    return fail(i, c === ' ' ? 'spaces are not allowed in a target path (outside a filter value)' : `unexpected ${quoteChar(c)}`);
  }
  if (schema !== null && CORE_SCHEMAS.has(schema.toLowerCase())) schema = null;
  return { ok: true, path: { raw: text, schema, attribute, filter, subAttribute } };
}

/**
 * The path, or null when it is not valid. For paths the mapping-file loader has already checked (and
 * reported where they are wrong); use parseAttributePath where the error's position matters.
 */
export function attributePathOrNull(text: string): AttributePath | null {
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const result = parseAttributePath(text);
  const path = result.ok ? freezePath(result.path) : null;
  if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value as string);
  parsed.set(text, path);
  return path;
}

/**
 * The paths `attributePathOrNull` has parsed: a cycle asks for its mapping's few paths once per change (the
 * manager PATCH of every user). Its results are shared, so they are frozen.
 */
const parsed = new Map<string, AttributePath | null>();
const PARSED_LIMIT = 1024;

function freezePath(path: AttributePath): AttributePath {
  if (path.filter) Object.freeze(path.filter);
  return Object.freeze(path);
}

/** Brackets must pair up, not nest, and enclose a closed quote; spaces only inside brackets. */
function checkBrackets(text: string): AttributePathResult | null {
  let open = -1;
  let quote = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== -1) {
      if (c === '"') quote = -1;
      continue;
    }
    if (open !== -1 && c === '"') quote = i;
    else if (c === '[') {
      if (open !== -1) return fail(i, `\`[\` inside the filter opened at character ${open + 1}`);
      open = i;
    } else if (c === ']') {
      if (open === -1) return fail(i, '`]` without a matching `[`');
      open = -1;
    } else if (c === ' ' && open === -1) return fail(i, 'spaces are not allowed in a target path (outside a filter value)');
  }
  if (quote !== -1) return fail(quote, 'the opening `"` of the filter value is never closed');
  if (open !== -1) return fail(open, '`[` is never closed');
  return null;
}

/** True for the SCIM primary key `id` (core schema), which Entra forbids as a target. */
export function isIdTarget(path: AttributePath): boolean {
  return path.attribute.toLowerCase() === 'id' && path.filter === null && path.subAttribute === null && path.schema === null;
}

/**
 * A comparison key: two paths with the same key address the same target attribute (SCIM names are
 * case-insensitive; a core attribute with or without its core schema URN is the same attribute).
 */
export function targetKey(path: AttributePath): string {
  const schema = path.schema?.toLowerCase() ?? '';
  const filter = path.filter ? `[${path.filter.attribute.toLowerCase()} eq "${path.filter.value.toLowerCase()}"]` : '';
  const sub = path.subAttribute ? `.${path.subAttribute.toLowerCase()}` : '';
  return `${schema}:${path.attribute.toLowerCase()}${filter}${sub}`;
}

/** True for `members` and the enterprise extension's `manager`: reference targets, not matchable. */
export function isReferenceTarget(path: AttributePath): boolean {
  const a = path.attribute.toLowerCase();
  return (a === 'members' || a === 'manager') && path.filter === null;
}

/** Case-insensitive property read (SCIM attribute names are case-insensitive). */
function getProperty(obj: unknown, name: string): unknown {
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
function findFilteredElement(resource: unknown, path: AttributePath): Record<string, unknown> | undefined {
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
export function readAttributePath(resource: unknown, path: AttributePath): unknown {
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

function normaliseScalar(value: unknown): unknown {
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

export function isBooleanPath(path: AttributePath): boolean {
  return path.schema === null && path.filter === null && path.subAttribute === null && BOOLEAN_ATTRIBUTES.has(path.attribute.toLowerCase());
}

/** "True"/"False" (any case) → boolean; anything else unchanged. */
export function toJsonBoolean(value: string): boolean | string {
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : value;
}

function fail(index: number, message: string): AttributePathResult {
  return { ok: false, index, message };
}

function quoteChar(c: string | undefined): string {
  return c === undefined ? 'the end of the path' : `\`${c}\``;
}
