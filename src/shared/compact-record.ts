/**
 * Records built in one step, for records kept by the hundred thousand (a fixture user's attributes). V8 may
 * turn an object whose computed keys are assigned one by one (`o[key] = v`) into a dictionary past about a
 * dozen properties: in the fixture loader that was about 1 KB per generated user's 20 attributes, against
 * about 220 B for a fast-mode object, so 800 MB for a million users.
 *
 * An object literal is the cheapest fast-mode object to build, so each distinct key list (a tenant has a
 * handful: members, guests, users with or without a mobile number…) gets a small constructor function whose
 * body is that literal, found by walking a trie of the keys (no key string is built per record). Up to
 * `MAX_SHAPES` constructors are kept; other key lists use `Object.fromEntries` (also fast-mode, about twice
 * as slow). Keys are written into the literal as JSON strings, so any key is inert; `__proto__`, which a
 * literal would treat as the prototype, always takes the `fromEntries` path.
 */
const MAX_SHAPES = 1024;

type Build = (values: readonly unknown[]) => Record<string, unknown>;
interface Node {
  next: Map<string, Node>;
  build: Build | null;
}
const root: Node = { next: new Map(), build: null };
let shapes = 0;

/** `{keys[0]: values[0], …}` in key order, for the first `length` keys and values; `keys` must not repeat. */
export function compactRecord<V>(keys: readonly string[], values: readonly V[], length = keys.length): Record<string, V> {
  let node = root;
  for (let i = 0; i < length && node !== undefined; i++) {
    let child = node.next.get(keys[i]!);
    if (child === undefined && shapes < MAX_SHAPES) node.next.set(keys[i]!, (child = { next: new Map(), build: null }));
    node = child!;
  }
  if (node === undefined) return fromEntries(keys, values, length);
  if (node.build === null) {
    const used = keys.slice(0, length);
    if (shapes >= MAX_SHAPES || used.includes('__proto__')) return fromEntries(keys, values, length);
    node.build = new Function('v', `return {${used.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(', ')}};`) as Build;
    shapes++;
  }
  return node.build(values) as Record<string, V>;
}

function fromEntries<V>(keys: readonly string[], values: readonly V[], length: number): Record<string, V> {
  const pairs: [string, V][] = [];
  for (let i = 0; i < length; i++) pairs.push([keys[i]!, values[i]!]);
  return Object.fromEntries(pairs) as Record<string, V>;
}

/** `compactRecord` of an existing record's entries. */
export function compactCopy<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  const keys = Object.keys(record);
  return compactRecord(
    keys,
    keys.map((k) => record[k]!),
  );
}
