import { forbiddenNameIn } from './prototype-keys.js';
import { scimError } from './scim-error.js';

/** The RFC 7644 §3.4.2 query parameters the target honours. */
export interface ScimQuery {
  filter?: string;
  attributes?: string;
  excludedAttributes?: string;
  /** 1-based; values below 1 are read as 1 (RFC 7644 §3.4.2.4). */
  startIndex?: number;
  /** Negative values are read as 0 (RFC 7644 §3.4.2.4). */
  count?: number;
}

const NAMES = ['filter', 'attributes', 'excludedAttributes', 'startIndex', 'count'] as const;

/**
 * Read the query from the raw request URL rather than express's parsed `req.query`: URLSearchParams decodes
 * form encoding (`filter=userName+eq+%22abc%22`, `+` = space) the way Entra sends it, and never turns
 * `a[b]=c` into objects. Parameter names match case-insensitively; the first occurrence wins; unknown
 * parameters (including Entra's `aadOptscim062020` flag) are ignored. A filter or attribute list that names
 * `__proto__`, `constructor` or `prototype` is refused here, before SCIMMY parses it (prototype-keys.ts).
 */
export function parseScimQuery(rawUrl: string): ScimQuery {
  const queryStart = rawUrl.indexOf('?');
  const params = new URLSearchParams(queryStart >= 0 ? rawUrl.slice(queryStart + 1) : '');
  const found = new Map<string, string>();
  for (const [name, value] of params) {
    const known = NAMES.find((n) => n.toLowerCase() === name.toLowerCase());
    if (known && !found.has(known)) found.set(known, value);
  }
  const query: ScimQuery = {};
  const filter = found.get('filter');
  if (filter !== undefined) {
    if (filter.trim() === '')
      throw scimError(400, 'invalidFilter', 'Query parameter filter is empty; omit it or give an expression such as userName eq "x"');
    query.filter = refuseInternals('filter', filter);
  }
  const attributes = found.get('attributes');
  if (attributes !== undefined && attributes.trim() !== '') query.attributes = refuseInternals('attributes', attributes);
  const excluded = found.get('excludedAttributes');
  if (excluded !== undefined && excluded.trim() !== '') query.excludedAttributes = refuseInternals('excludedAttributes', excluded);
  const startIndex = integerParam(found, 'startIndex');
  if (startIndex !== undefined) query.startIndex = Math.max(1, startIndex);
  const count = integerParam(found, 'count');
  if (count !== undefined) query.count = Math.max(0, count);
  return query;
}

function integerParam(found: Map<string, string>, name: string): number | undefined {
  const raw = found.get(name);
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\s*[-+]?\d+\s*$/.test(raw)) {
    throw scimError(400, 'invalidValue', `Query parameter ${name}=${JSON.stringify(raw)} is not an integer`);
  }
  return Number.parseInt(raw, 10);
}

/** `value`, unless it names a JavaScript object internal (prototype-keys.ts): then 400 invalidFilter. */
function refuseInternals(name: string, value: string): string {
  const internal = forbiddenNameIn(value);
  if (internal === null) return value;
  throw scimError(
    400,
    'invalidFilter',
    `Query parameter ${name}=${JSON.stringify(value)} names '${internal}', which is not a SCIM attribute; this target refuses JavaScript object internals (__proto__, constructor, prototype) in attribute paths. Name attributes of the schema, e.g. userName`,
  );
}
