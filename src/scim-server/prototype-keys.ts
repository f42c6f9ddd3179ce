/**
 * Names that reach JavaScript object internals: `__proto__`, `constructor`, `prototype`. The target refuses
 * them wherever a client names an attribute — a filter, a PATCH path, `attributes`/`excludedAttributes`, a
 * key of a JSON body — before SCIMMY sees it.
 *
 * Why: SCIMMY 1.3.5 builds objects from attribute paths with `target[name] = target[name] ?? {}` (Filter's
 * expression objects, attribute projections, PatchOp's filtered paths). A segment `__proto__` makes that
 * write to `Object.prototype`, which every object in the process inherits: after one
 * `GET /Users?filter=__proto__.id eq "x"` every later list, create and PATCH answered 400 until the process
 * restarted. `constructor.prototype` reaches the same object, `constructor` the `Object` function.
 * No SCIM schema has an attribute of these names, so refusing them costs nothing.
 *
 * Matching is case-insensitive (SCIMMY lower-cases a name's first letter, so `Constructor` is
 * `constructor` to it) and by whole name: `constructorId` or `my-prototype` are ordinary names. Quoted
 * strings in a filter are values, not names (`userName eq "constructor"` is fine).
 */

const FORBIDDEN_NAME = /(?<![\w$-])(__proto__|constructor|prototype)(?![\w$-])/i;
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;

/** The first forbidden name in a filter, attribute path or attribute list, as written; null when none. */
export function forbiddenNameIn(expression: string): string | null {
  return FORBIDDEN_NAME.exec(expression.replace(STRING_LITERAL, '""'))?.[1] ?? null;
}

/**
 * Where the first key of a parsed JSON value that names a forbidden name is, as a path from the root
 * (`Operations[0].value.__proto__`); null when there is none. Keys are read as own keys (JSON.parse makes
 * `"__proto__"` an own property), so nothing is inherited or invoked while looking.
 */
export function forbiddenKeyIn(value: unknown, path = ''): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = forbiddenKeyIn(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const key of Object.keys(value)) {
    const here = path === '' ? key : `${path}.${key}`;
    if (FORBIDDEN_NAME.test(key)) return here;
    const found = forbiddenKeyIn((value as Record<string, unknown>)[key], here);
    if (found !== null) return found;
  }
  return null;
}
