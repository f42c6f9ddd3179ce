/**
 * Reading Graph objects as saved JSON. Graph names properties in camelCase; the Microsoft Graph PowerShell SDK's
 * objects, written with `ConvertTo-Json`, name them in PascalCase and keep what their model lacks (directory
 * extensions, `@odata.type`) in `AdditionalProperties`. Both read the same here: names match without regard to
 * case, and `AdditionalProperties` is merged into the object.
 */
export type JsonObject = Record<string, unknown>;

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A property as written (its spelling, for messages) with its value. */
export interface Property {
  name: string;
  value: unknown;
}

/**
 * The object's properties by lower-cased name, `AdditionalProperties` merged in (a name the object has itself
 * wins), annotations (`@odata.type`, `manager@odata.context`) left out: they describe the response, not the
 * object. When two spellings of one name both occur, the first is the property and the second is returned in
 * `repeated` (so it can be reported, not silently lost).
 */
export function propertiesOf(obj: JsonObject): { properties: Map<string, Property>; repeated: Property[] } {
  const properties = new Map<string, Property>();
  const repeated: Property[] = [];
  const add = (name: string, value: unknown): void => {
    if (name.includes('@')) return;
    const key = name.toLowerCase();
    if (properties.has(key)) repeated.push({ name, value });
    else properties.set(key, { name, value });
  };
  let extra: JsonObject | null = null;
  for (const [name, value] of Object.entries(obj)) {
    if (name.toLowerCase() === 'additionalproperties' && isJsonObject(value)) extra = value;
    else add(name, value);
  }
  if (extra !== null) for (const [name, value] of Object.entries(extra)) if (!properties.has(name.toLowerCase())) add(name, value);
  return { properties, repeated };
}

/** The object's `@odata.type` (`#microsoft.graph.user` → `user`, lower case), or null when it has none. */
export function odataTypeOf(obj: JsonObject): string | null {
  const find = (o: JsonObject): unknown => Object.entries(o).find(([k]) => k.toLowerCase() === '@odata.type')?.[1];
  let type = find(obj);
  if (type === undefined) {
    const extra = Object.entries(obj).find(([k]) => k.toLowerCase() === 'additionalproperties')?.[1];
    if (isJsonObject(extra)) type = find(extra);
  }
  if (typeof type !== 'string') return null;
  return type
    .replace(/^#?microsoft\.graph\./i, '')
    .replace(/^#/, '')
    .toLowerCase();
}

/** An `odataTypeOf` result for messages: `orgcontact` → `an organizational contact`. */
export function describeKind(type: string): string {
  const known: Readonly<Record<string, string>> = {
    user: 'a user',
    group: 'a group',
    device: 'a device',
    serviceprincipal: 'a service principal',
    orgcontact: 'an organizational contact',
    application: 'an application',
  };
  return known[type] ?? `a ${type}`;
}

/** Whether a value carries anything: not null, an empty string, an empty list or an object of such. */
export function hasData(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isJsonObject(v)) return Object.entries(v).some(([k, x]) => !k.includes('@') && hasData(x));
  return true;
}

/** A value's kind for messages: `a number (42)`, `a list`, `an object`, `true`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (isJsonObject(v)) return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}…` : v)}`;
  if (typeof v === 'number') return `a number (${v})`;
  return String(v);
}

/** A string property, or null when absent or not a string. */
export function stringOf(properties: ReadonlyMap<string, Property>, name: string): string | null {
  const v = properties.get(name.toLowerCase())?.value;
  return typeof v === 'string' ? v : null;
}
