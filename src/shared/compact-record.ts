/**
 * Records built in one step, for records kept by the hundred thousand (a fixture user's attributes). V8 may
 * turn an object whose computed keys are assigned one by one (`o[key] = v`) into a dictionary past about a
 * dozen properties: in the fixture loader that was about 1 KB per generated user's 20 attributes, against
 * about 220 B for a fast-mode object, so 800 MB for a million users.
 *
 * An object literal is the cheapest fast-mode object to build, so each distinct key list (a tenant has a
 * handful: members, guests, users with or without a mobile number…) gets a small constructor function whose
 * body is that literal; up to `MAX_SHAPES` of them are kept, and other key lists use `Object.fromEntries`
 * (also fast-mode, about twice as slow). Keys are written into the literal as JSON strings, so any key is
 * inert; `__proto__`, which a literal would treat as the prototype, always takes the `fromEntries` path.
 */
const MAX_SHAPES = 1024;
const shapes = new Map<string, (values: readonly unknown[]) => Record<string, unknown>>();

/** `{keys[0]: values[0], …}` in key order; `keys` must not repeat. */
export function compactRecord<V>(keys: readonly string[], values: readonly V[]): Record<string, V> {
  const shape = keys.join('\u0000');
  let build = shapes.get(shape);
  if (build === undefined) {
    if (shapes.size >= MAX_SHAPES || keys.includes('__proto__'))
      return Object.fromEntries(keys.map((k, i) => [k, values[i]])) as Record<string, V>;
    build = new Function('v', `return {${keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(', ')}};`) as (
      values: readonly unknown[],
    ) => Record<string, unknown>;
    shapes.set(shape, build);
  }
  return build(values) as Record<string, V>;
}

/** `compactRecord` of an existing record's entries. */
export function compactCopy<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  const keys = Object.keys(record);
  return compactRecord(
    keys,
    keys.map((k) => record[k]!),
  );
}
