import type SCIMMY from 'scimmy';
import type { TargetRules } from './rules.js';
import { MANAGER_ATTRIBUTE, findAttribute, isSchemaDefinition } from './resource-schemas.js';
import { scimError } from './scim-error.js';
import type { JsonObject, JsonValue } from './types.js';

type SchemaDefinition = SCIMMY.Types.SchemaDefinition;
type Attribute = SCIMMY.Types.Attribute;

/** Returned in place of a value that means "remove this attribute" (tolerant: manager `""`). */
export const REMOVE_ATTRIBUTE: unique symbol = Symbol('remove attribute');

export interface ValueShapeResult {
  /** The value with Entra's legacy shapes converted, or REMOVE_ATTRIBUTE when the whole value means "remove". */
  value: JsonValue | typeof REMOVE_ATTRIBUTE;
  /** Canonical paths of nested attributes that were given as "remove" (they were dropped from `value`). */
  removals: string[];
}

interface WalkContext {
  rules: Readonly<TargetRules>;
  /** Where the value came from, for error messages: "operation 2 of the PATCH body", "the POST body". */
  where: string;
  removals: string[];
}

/**
 * Rules 2 (string booleans) and 4 (bare manager), applied to a value by following the schema:
 * `node` is what the value is for — an attribute, or a whole (extension) definition when the value is an
 * object of attribute names (a resource body, or a path-less PATCH value whose keys may be flat paths such as
 * `name.givenName` or `urn:…:enterprise:2.0:User:employeeNumber`). Keys the schema does not know are left
 * untouched for SCIMMY to judge. Strict rules throw 400 `invalidValue`; tolerant ones convert.
 */
export function applyValueShapes(
  node: Attribute | SchemaDefinition,
  value: JsonValue,
  rules: Readonly<TargetRules>,
  where: string,
  label: string,
): ValueShapeResult {
  const ctx: WalkContext = { rules, where, removals: [] };
  const shaped = walk(node, value, label, ctx);
  return { value: shaped, removals: ctx.removals };
}

function walk(node: Attribute | SchemaDefinition, value: JsonValue, label: string, ctx: WalkContext): JsonValue | typeof REMOVE_ATTRIBUTE {
  if (isSchemaDefinition(node)) return walkDefinition(node, value, label, ctx);
  return walkAttribute(node, value, label, ctx);
}

function walkDefinition(definition: SchemaDefinition, value: JsonValue, label: string, ctx: WalkContext): JsonValue {
  if (!isPlainObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const childNode = findAttribute(definition, key);
    if (!childNode || child === null) {
      out[key] = child;
      continue;
    }
    // Inside an extension object the keys are bare names; name them fully for messages and removals.
    const childLabel = label.startsWith('urn:') && !key.toLowerCase().startsWith('urn:') ? `${label}:${key}` : key;
    const shaped = walk(childNode, child, childLabel, ctx);
    if (shaped === REMOVE_ATTRIBUTE) ctx.removals.push(childLabel);
    else out[key] = shaped;
  }
  return out;
}

function walkAttribute(attribute: Attribute, value: JsonValue, label: string, ctx: WalkContext): JsonValue | typeof REMOVE_ATTRIBUTE {
  if (attribute === MANAGER_ATTRIBUTE && typeof value === 'string') return bareManager(value, label, ctx);
  if (attribute.type === 'boolean') {
    if (Array.isArray(value)) return value.map((v) => stringBoolean(v, label, ctx));
    return stringBoolean(value, label, ctx);
  }
  if (attribute.type === 'complex') {
    if (Array.isArray(value)) return value.map((element) => walkComplexValue(attribute, element, label, ctx));
    return walkComplexValue(attribute, value, label, ctx);
  }
  return value;
}

function walkComplexValue(attribute: Attribute, value: JsonValue, label: string, ctx: WalkContext): JsonValue {
  if (!isPlainObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const sub = attribute.subAttributes?.find((s) => s.name.toLowerCase() === key.toLowerCase());
    const shaped = sub ? walkAttribute(sub, child, `${label}.${sub.name}`, ctx) : child;
    // Sub-attributes never mean "remove" (only the manager itself does); keep the value as given.
    out[key] = shaped === REMOVE_ATTRIBUTE ? child : shaped;
  }
  return out;
}

function stringBoolean(value: JsonValue, label: string, ctx: WalkContext): JsonValue {
  if (typeof value !== 'string' || !/^(true|false)$/i.test(value)) return value;
  if (ctx.rules.rejectStringBooleans) {
    throw scimError(
      400,
      'invalidValue',
      `'${label}' in ${ctx.where} is the string "${value}" but the schema says boolean; send JSON true/false ` +
        `(strict target, rule rejectStringBooleans)`,
    );
  }
  return value.toLowerCase() === 'true';
}

function bareManager(value: string, label: string, ctx: WalkContext): JsonValue | typeof REMOVE_ATTRIBUTE {
  if (ctx.rules.rejectBareManager) {
    throw scimError(
      400,
      'invalidValue',
      `'${label}' in ${ctx.where} is the bare string "${value}" but manager is complex; send {"value": "<manager id>"}, ` +
        `or a remove op to clear it (strict target, rule rejectBareManager)`,
    );
  }
  return value === '' ? REMOVE_ATTRIBUTE : { value };
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
