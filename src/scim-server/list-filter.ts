import SCIMMY from 'scimmy';
import { extensionsOf, findAttribute, isSchemaDefinition } from './resource-schemas.js';
import { scimError } from './scim-error.js';
import type { JsonObject, JsonValue } from './types.js';
import { isPlainObject } from './value-shapes.js';

type SchemaDefinition = SCIMMY.Types.SchemaDefinition;
type Attribute = SCIMMY.Types.Attribute;

export interface CompiledListFilter {
  /**
   * Set when only resources whose top-level string `attribute` equals `value` (ignoring case) can match,
   * so the caller may look candidates up in an index instead of passing every resource to `match`.
   */
  candidates?: { attribute: string; value: string };
  /** The given resources that match, in the given order. */
  match(resources: readonly JsonObject[]): JsonObject[];
}

/**
 * Parse a `filter` query value with SCIMMY's Filter, ready to match stored resources.
 *
 * SCIMMY's `Filter.match` is schema-blind, and two of its gaps matter for Entra:
 * - it compares strings case-sensitively, while RFC 7643 makes `userName`, Group `displayName`, `emails.value`
 *   (every attribute with `caseExact: false`) case-insensitive — and the SCIM Validator tests "filter with a
 *   different case". Workaround: both the filter's operands and a copy of each resource are lower-cased, by
 *   the schema, wherever the attribute is a string with `caseExact: false`; `externalId` and `id` (caseExact)
 *   keep their case.
 * - it cannot see extension attributes named by URN (`urn:…:enterprise:2.0:User:employeeNumber eq "x"`),
 *   because the resource nests them under the extension URN. Workaround: the matching copy also carries each
 *   extension attribute under its fully-qualified name.
 * Matching itself (operators, `and`/`or`/`not`, `emails[type eq "work"].value`) is SCIMMY's.
 */
export function compileListFilter(definition: SchemaDefinition, expression: string): CompiledListFilter {
  let parsed: SCIMMY.Types.Filter;
  try {
    parsed = new SCIMMY.Types.Filter(expression);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw scimError(400, 'invalidFilter', `Query parameter filter=${JSON.stringify(expression)} does not parse: ${reason}`);
  }
  const branches = (JSON.parse(JSON.stringify(parsed)) as JsonObject[]).map((b) => foldExpression(definition, b, []));
  const folded = new SCIMMY.Types.Filter(branches);
  const candidates = equalityCandidates(definition, branches);
  return {
    ...(candidates ? { candidates } : {}),
    match: (resources) => {
      const byCopy = new Map<JsonObject, JsonObject>();
      for (const resource of resources) byCopy.set(foldedCopy(definition, resource), resource);
      return (folded.match([...byCopy.keys()]) as JsonObject[]).map((copy) => byCopy.get(copy)!);
    },
  };
}

// Folded copies are a pure function of (definition, resource), and stored resources are never mutated in place
// (ResourceStore), so copies are cached by identity; weak maps let replaced resources go.
const foldCache = new WeakMap<SchemaDefinition, WeakMap<JsonObject, JsonObject>>();

function foldedCopy(definition: SchemaDefinition, resource: JsonObject): JsonObject {
  let copies = foldCache.get(definition);
  if (!copies) foldCache.set(definition, (copies = new WeakMap()));
  let copy = copies.get(resource);
  if (!copy) copies.set(resource, (copy = foldResource(definition, resource)));
  return copy;
}

/**
 * Performance, not semantics: Entra sends one `attr eq "value"` query per object per cycle, and SCIMMY's
 * match costs microseconds per resource, so matching every resource each time is quadratic in the tenant
 * size. When the filter is a single `and`-branch holding an `eq` on a simple top-level string attribute
 * (`userName`, `externalId`, `displayName`, `id`…), that term names the only possible candidates; SCIMMY
 * still judges the full expression (and case-exactness) on them.
 */
function equalityCandidates(definition: SchemaDefinition, branches: readonly JsonObject[]): CompiledListFilter['candidates'] {
  const [branch] = branches;
  if (branches.length !== 1 || !branch) return undefined;
  for (const [key, condition] of Object.entries(branch)) {
    if (!Array.isArray(condition) || condition.length !== 2 || String(condition[0]).toLowerCase() !== 'eq') continue;
    const expected = condition[1];
    const attribute = findAttribute(definition, key);
    if (typeof expected !== 'string' || !attribute || isSchemaDefinition(attribute)) continue;
    if (attribute.type !== 'string' || attribute.config.multiValued === true || key.includes(':') || key.includes('.')) continue;
    return { attribute: attribute.name, value: expected };
  }
  return undefined;
}

/** Lower-case the operands of comparisons on case-insensitive string attributes. `prefix`: the path so far. */
function foldExpression(definition: SchemaDefinition, expression: JsonObject, prefix: string[]): JsonObject {
  const out: JsonObject = {};
  for (const [key, condition] of Object.entries(expression)) {
    const path = [...prefix, key];
    if (Array.isArray(condition)) {
      const attribute = findAttribute(definition, path.join('.'));
      const fold = attribute !== undefined && !isSchemaDefinition(attribute) && isCaseInsensitiveString(attribute);
      out[key] = fold ? foldCondition(condition) : condition;
    } else if (isPlainObject(condition)) {
      out[key] = foldExpression(definition, condition, path);
    } else {
      out[key] = condition;
    }
  }
  return out;
}

/** `["eq","X"]`, `["not","eq","X"]` or a list of those (several conditions on one attribute). */
function foldCondition(condition: JsonValue[]): JsonValue[] {
  if (condition.every(Array.isArray)) return condition.map((c) => foldCondition(c as JsonValue[]));
  const first = condition[0];
  const start = typeof first === 'string' && first.toLowerCase() === 'not' ? 2 : 1;
  return condition.map((part, i) => (i >= start && typeof part === 'string' ? part.toLowerCase() : part));
}

function isCaseInsensitiveString(attribute: Attribute): boolean {
  return (attribute.type === 'string' || attribute.type === 'reference') && attribute.config.caseExact !== true;
}

/** The matching copy: case-insensitive strings lower-cased, extension attributes also under `<urn>:<name>`. */
function foldResource(definition: SchemaDefinition, resource: JsonObject): JsonObject {
  const out: JsonObject = {};
  const extensions = extensionsOf(definition);
  for (const [key, value] of Object.entries(resource)) {
    const extension = extensions.find((e) => e.id.toLowerCase() === key.toLowerCase());
    if (extension && isPlainObject(value)) {
      const foldedExtension: JsonObject = {};
      for (const [name, child] of Object.entries(value)) {
        const attribute = findAttribute(extension, name);
        const folded = attribute && !isSchemaDefinition(attribute) ? foldValue(attribute, child) : child;
        foldedExtension[name] = folded;
        out[`${extension.id}:${name}`] = folded;
      }
      out[key] = foldedExtension;
      continue;
    }
    const attribute = findAttribute(definition, key);
    out[key] = attribute && !isSchemaDefinition(attribute) ? foldValue(attribute, value) : value;
  }
  return out;
}

function foldValue(attribute: Attribute, value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((v) => foldValue(attribute, v));
  if (typeof value === 'string') return isCaseInsensitiveString(attribute) ? value.toLowerCase() : value;
  if (isPlainObject(value) && attribute.type === 'complex') {
    const out: JsonObject = {};
    for (const [name, child] of Object.entries(value)) {
      const sub = attribute.subAttributes?.find((s) => s.name.toLowerCase() === name.toLowerCase());
      out[name] = sub ? foldValue(sub, child) : child;
    }
    return out;
  }
  return value;
}
