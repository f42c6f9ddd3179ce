/**
 * Target attribute paths of a mapping row, in the forms Entra's customappsso schema uses:
 *
 *   userName | name.givenName | emails[type eq "work"].value | <schema URN>:<attr>[.<sub>]
 *
 * e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`. Attribute names follow SCIM
 * (a letter, then letters, digits, `_`, `-`); one level of sub-attributes; the only filter form is
 * `[<attr> eq "<value>"]` and it must be followed by `.<sub>`. No spaces outside the filter.
 */

export interface TargetPath {
  /** The schema URN before the attribute (`urn:…:User`), or null for a core attribute written without one. */
  schema: string | null;
  attribute: string;
  filter: { attribute: string; value: string } | null;
  subAttribute: string | null;
}

/** `index` is the offending character's 0-based index in the path text. */
export type TargetPathResult = { ok: true; path: TargetPath } | { ok: false; index: number; message: string };

const NAME = /^[A-Za-z][A-Za-z0-9_-]*/;
const URN_SEGMENT = /^[A-Za-z0-9._-]+$/;
const CORE_SCHEMAS = ['urn:ietf:params:scim:schemas:core:2.0:user', 'urn:ietf:params:scim:schemas:core:2.0:group'];

export function parseTargetPath(text: string): TargetPathResult {
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
  const name = (what: string): string | TargetPathResult => {
    const m = NAME.exec(text.slice(i));
    if (!m) return fail(i, i >= text.length ? `expected ${what} at the end of the path` : `expected ${what}, found ${quoteChar(text[i])}`);
    i += m[0].length;
    return m[0];
  };

  const attribute = name('an attribute name');
  if (typeof attribute !== 'string') return attribute;

  let filter: TargetPath['filter'] = null;
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
  return { ok: true, path: { schema, attribute, filter, subAttribute } };
}

/** Brackets must pair up, not nest, and enclose a closed quote; spaces only inside brackets. */
function checkBrackets(text: string): TargetPathResult | null {
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
export function isIdTarget(path: TargetPath): boolean {
  return (
    path.attribute.toLowerCase() === 'id' &&
    path.filter === null &&
    path.subAttribute === null &&
    (path.schema === null || CORE_SCHEMAS.includes(path.schema.toLowerCase()))
  );
}

/**
 * A comparison key: two paths with the same key address the same target attribute (SCIM names are
 * case-insensitive; a core attribute with or without its core schema URN is the same attribute).
 */
export function targetKey(path: TargetPath): string {
  const schema = path.schema !== null && !CORE_SCHEMAS.includes(path.schema.toLowerCase()) ? path.schema.toLowerCase() : '';
  const filter = path.filter ? `[${path.filter.attribute.toLowerCase()} eq "${path.filter.value.toLowerCase()}"]` : '';
  const sub = path.subAttribute ? `.${path.subAttribute.toLowerCase()}` : '';
  return `${schema}:${path.attribute.toLowerCase()}${filter}${sub}`;
}

/** True for `members` and the enterprise extension's `manager`: reference targets, not matchable. */
export function isReferenceTarget(path: TargetPath): boolean {
  const a = path.attribute.toLowerCase();
  return (a === 'members' || a === 'manager') && path.filter === null;
}

function fail(index: number, message: string): TargetPathResult {
  return { ok: false, index, message };
}

function quoteChar(c: string | undefined): string {
  return c === undefined ? 'the end of the path' : `\`${c}\``;
}
