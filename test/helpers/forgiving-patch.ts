/**
 * A forgiving PATCH for the wire tests' fake target (test/wire/scenario.ts) and the benchmarks' SCIM stub:
 * applies the shapes Entra sends, in both dialects, to a stored resource the way a tolerant server does, so
 * the next read returns what was written.
 * Not a SCIM implementation (the embedded target is one): no schema, no validation, attribute names matched
 * case-insensitively; unknown shapes throw, so a test never reads back a silently wrong state.
 */
type Json = Record<string, unknown>;

export function applyOperations(resource: Json, body: unknown): Json {
  const out = structuredClone(resource);
  const operations = (body as { Operations?: unknown }).Operations;
  if (!Array.isArray(operations)) throw new Error(`fake target: a PATCH body without Operations: ${JSON.stringify(body)}`);
  for (const raw of operations) {
    const { op, path, value } = raw as { op: string; path?: string; value?: unknown };
    const name = op.toLowerCase();
    if (path === undefined) {
      if (!value || typeof value !== 'object') throw new Error(`fake target: a path-less ${op} without an object value`);
      for (const [key, v] of Object.entries(value as Json)) applyPath(out, name, key, v);
    } else applyPath(out, name, path, value);
  }
  return out;
}

const PATH = /^(?:(urn:.+):)?([A-Za-z$][\w$]*)(?:\[(\w+) eq "((?:[^"\\]|\\.)*)"\])?(?:\.(\w+))?$/;

function applyPath(resource: Json, op: string, path: string, value: unknown): void {
  const m = PATH.exec(path);
  if (!m) throw new Error(`fake target: cannot apply the path ${path}`);
  const [, schema, attribute, filterAttribute, filterValue, sub] = m as unknown as [
    string,
    string | undefined,
    string,
    string | undefined,
    string | undefined,
    string | undefined,
  ];
  const container = schema ? ((resource[key(resource, schema)] ??= {}) as Json) : resource;
  const name = key(container, attribute);
  if (name.toLowerCase() === 'members' && !filterAttribute) return applyMembers(container, name, op, value);
  if (filterAttribute) {
    const list = (container[name] ??= []) as Json[];
    const wanted = filterValue!.replace(/\\(.)/g, '$1');
    const index = list.findIndex((e) => String(e[key(e, filterAttribute)]).toLowerCase() === wanted.toLowerCase());
    if (op === 'remove') {
      if (index >= 0 && sub) delete list[index]![key(list[index]!, sub)];
      else if (index >= 0) list.splice(index, 1);
      return;
    }
    const element = index >= 0 ? list[index]! : (list[list.push({ [filterAttribute]: wanted }) - 1] as Json);
    element[sub ? key(element, sub) : 'value'] = value;
    return;
  }
  if (sub) {
    const parent = (container[name] ??= {}) as Json;
    if (op === 'remove') delete parent[key(parent, sub)];
    else parent[key(parent, sub)] = value;
    return;
  }
  if (op === 'remove' || value === '') delete container[name];
  else container[name] = value;
}

function applyMembers(container: Json, name: string, op: string, value: unknown): void {
  const members = (container[name] ??= []) as Array<{ value: string }>;
  const listed = (Array.isArray(value) ? value : []).map((v) => String((v as { value: unknown }).value));
  if (op === 'add') {
    for (const id of listed) if (!members.some((m) => m.value === id)) members.push({ value: id });
  } else if (op === 'remove') {
    container[name] = members.filter((m) => !listed.includes(m.value));
  } else {
    container[name] = listed.map((id) => ({ value: id }));
  }
}

/** The key of `record` that names `name` case-insensitively (SCIM attribute names are), or `name`. */
function key(record: Json, name: string): string {
  if (name in record) return name;
  return Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}
