import SCIMMY from 'scimmy';
import { attributePathOf, formatPatchPath, parsePatchPath, type PathSegment } from './patch-path.js';
import { memberIds } from './member-values.js';
import { findAttribute, isSchemaDefinition, type ResourceKind } from './resource-schemas.js';
import type { TargetRules } from './rules.js';
import { scimError } from './scim-error.js';
import type { JsonObject, JsonValue } from './types.js';
import { REMOVE_ATTRIBUTE, applyValueShapes, isPlainObject } from './value-shapes.js';

type SchemaDefinition = SCIMMY.Types.SchemaDefinition;
type Attribute = SCIMMY.Types.Attribute;

export type PatchOpName = 'add' | 'remove' | 'replace';

/** An operation in the form handed to SCIMMY's PatchOp: lowercase op, canonical path. */
export interface PatchOperation {
  op: PatchOpName;
  path?: string;
  value?: JsonValue;
}

export interface NormaliseContext {
  kind: ResourceKind;
  definition: SchemaDefinition;
  rules: Readonly<TargetRules>;
  /** The resource as it stands before this operation (earlier operations already applied). */
  current: JsonObject;
}

/**
 * Turn one operation as received into the operations SCIMMY's PatchOp should apply. This is where Entra's
 * legacy shapes meet the profile rules (see rules.ts) and where SCIMMY's PatchOp is steered around its RFC
 * deviations:
 * - a path-less `replace` whose value names a multi-valued attribute is split out into `replace` with that
 *   path (SCIMMY applies path-less replace as `add`, which would append instead of replace);
 * - `replace` on a single-valued complex attribute or a whole extension becomes `add` (SCIMMY removes the
 *   attribute first, dropping sub-attributes not in `value`; RFC 7644 §3.5.2.3 says they stay unchanged);
 * - member values are reduced to `{value}`: `$ref`, `display` and `type` are derived by the target.
 * May return no operation (tolerant member removal naming nobody) or several (removals split out).
 */
export function normaliseOperation(raw: unknown, index: number, ctx: NormaliseContext): PatchOperation[] {
  if (!isPlainObject(raw)) {
    throw scimError(400, 'invalidSyntax', `Operation ${index} of the PATCH body is not an object`);
  }
  const op = opName(raw['op'], index, ctx.rules);
  const where = `operation ${index} of the PATCH body`;
  const rawPath = raw['path'];
  const segments = typeof rawPath === 'string' ? parsePatchPath(ctx.definition, rawPath) : undefined;
  const path = segments ? formatPatchPath(segments) : undefined;
  let value = raw['value'];
  const extra: PatchOperation[] = [];

  // Rules 2 and 4: string booleans and bare manager ids, wherever the schema puts them in the value.
  if (value !== undefined && value !== null && op !== 'remove') {
    const node = segments ? findAttribute(ctx.definition, attributePathOf(segments)) : ctx.definition;
    if (node) {
      const shaped = applyValueShapes(node, value, ctx.rules, where, path ?? '');
      if (shaped.value === REMOVE_ATTRIBUTE) return [{ op: 'remove', ...(path !== undefined ? { path } : {}) }];
      value = shaped.value;
      for (const removal of shaped.removals) extra.push({ op: 'remove', path: removal });
    }
  }

  let ops: PatchOperation[];
  if (ctx.kind === 'Group' && segments && isMembersPath(segments)) {
    ops = membersOperation(op, value, index, ctx.rules);
  } else if (segments && path !== undefined) {
    ops = [pathOperation(op, segments, path, value, index, ctx)];
  } else {
    ops = pathlessOperation(op, value, index, ctx);
  }
  return [...ops, ...extra];
}

function opName(op: unknown, index: number, rules: Readonly<TargetRules>): PatchOpName {
  if (typeof op !== 'string') {
    throw scimError(400, 'invalidSyntax', `Operation ${index} of the PATCH body has no string 'op'; use add, remove or replace`);
  }
  const lower = op.toLowerCase();
  if (lower !== 'add' && lower !== 'remove' && lower !== 'replace') {
    throw scimError(400, 'invalidSyntax', `Operation ${index} of the PATCH body has op '${op}'; use add, remove or replace`);
  }
  if (op !== lower && rules.rejectCapitalisedOps) {
    throw scimError(
      400,
      'invalidSyntax',
      `Operation ${index} of the PATCH body has op '${op}'; RFC 7644 §3.5.2 defines '${lower}' in lowercase ` +
        `(strict target, rule rejectCapitalisedOps)`,
    );
  }
  return lower;
}

function isMembersPath(segments: readonly PathSegment[]): boolean {
  return segments.length === 1 && segments[0]?.name === 'members' && segments[0].filter === undefined;
}

/** Rule 5 and member value clean-up, for ops whose path is exactly `members`. */
function membersOperation(op: PatchOpName, value: JsonValue | undefined, index: number, rules: Readonly<TargetRules>): PatchOperation[] {
  if (op !== 'remove') {
    return [{ op, path: 'members', value: memberValues(value, index) }];
  }
  if (value === undefined || value === null) return [{ op: 'remove', path: 'members' }];
  // RFC 7644 §3.5.2.2: a remove without a value filter in the path removes the whole attribute.
  if (rules.removeMembersIgnoresValue) return [{ op: 'remove', path: 'members' }];
  // Tolerant: remove exactly the listed members. An id with a quote or backslash cannot be one of ours (the
  // target assigns UUIDs) and would break the filter SCIMMY builds from the values, so it is skipped.
  const ids = memberIds(value, `operation ${index} of the PATCH body`).filter((id) => !/["\\]/.test(id));
  if (ids.length === 0) return [];
  return [{ op: 'remove', path: 'members', value: ids.map((id) => ({ value: id })) }];
}

function memberValues(value: JsonValue | undefined, index: number): JsonValue {
  if (value === undefined || value === null) {
    throw scimError(400, 'invalidValue', `Operation ${index} of the PATCH body changes members but has no value`);
  }
  return memberIds(value, `operation ${index} of the PATCH body`).map((id) => ({ value: id }));
}

function pathOperation(
  op: PatchOpName,
  segments: PathSegment[],
  path: string,
  value: JsonValue | undefined,
  index: number,
  ctx: NormaliseContext,
): PatchOperation {
  const first = segments[0];
  if (op !== 'remove' && first?.filter !== undefined && segments.length <= 2 && first.attribute && !isSchemaDefinition(first.attribute)) {
    const created = missingFilteredTarget(op, first, first.attribute, segments[1], path, value, index, ctx);
    if (created) return created;
  }
  const node = segments.every((s) => s.filter === undefined) ? segments[segments.length - 1]?.attribute : undefined;
  if (
    op === 'replace' &&
    isPlainObject(value) &&
    node &&
    (isSchemaDefinition(node) || (node.type === 'complex' && !node.config.multiValued))
  ) {
    return { op: 'add', path, value };
  }
  return { op, path, ...(value !== undefined ? { value } : {}) };
}

/**
 * Rule 3. Returns undefined when the filter matches an element (SCIMMY then patches that element), throws
 * `noTarget` when strict, else returns an `add` of a new element built from the filter's `eq` terms.
 */
function missingFilteredTarget(
  op: PatchOpName,
  first: PathSegment,
  attribute: Attribute,
  sub: PathSegment | undefined,
  path: string,
  value: JsonValue | undefined,
  index: number,
  ctx: NormaliseContext,
): PatchOperation | undefined {
  const filterText = first.filter ?? '';
  let filter: SCIMMY.Types.Filter;
  try {
    filter = new SCIMMY.Types.Filter(filterText);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw scimError(400, 'invalidPath', `Operation ${index} of the PATCH body has path '${path}' whose filter does not parse: ${reason}`);
  }
  const collection = attributeValue(ctx.current, first.name);
  const elements = Array.isArray(collection) ? collection : [];
  if (filter.match(elements).length > 0) return undefined;

  const noTarget = (why: string): Error =>
    scimError(
      400,
      'noTarget',
      `Path '${path}' in operation ${index} of the PATCH body matches no element of '${first.name}' for '${op}'; ${why}`,
    );
  if (ctx.rules.noTargetOnMissingFilteredPath) {
    throw noTarget('RFC 7644 §3.5.2.3 answers noTarget (strict target, rule noTargetOnMissingFilteredPath)');
  }
  const element = elementFromFilter(filter, attribute);
  if (!element || !attribute.config.multiValued) {
    throw noTarget('the target can only create an element from a filter of "eq" terms joined by "and"');
  }
  if (sub) {
    element[sub.name] = value ?? null;
  } else if (isPlainObject(value)) {
    Object.assign(element, value);
  } else {
    throw noTarget('a path ending in a filter needs an object value');
  }
  const hasPrimarySub = attribute.subAttributes?.some((s) => s.name === 'primary') ?? false;
  const somePrimary = elements.some((e) => isPlainObject(e) && e['primary'] === true);
  if (hasPrimarySub && element['primary'] === undefined && !somePrimary) element['primary'] = true;
  return { op: 'add', path: first.name, value: [element] };
}

/** `{type: "work"}` from `type eq "work"`; undefined for anything but `eq` terms joined by `and`. */
function elementFromFilter(filter: SCIMMY.Types.Filter, attribute: Attribute): JsonObject | undefined {
  const branches = JSON.parse(JSON.stringify(filter)) as unknown[];
  const [branch] = branches;
  if (branches.length !== 1 || !isPlainObject(branch)) return undefined;
  const element: JsonObject = {};
  for (const [key, condition] of Object.entries(branch)) {
    const sub = attribute.subAttributes?.find((s) => s.name.toLowerCase() === key.toLowerCase());
    if (!sub || !Array.isArray(condition) || condition.length !== 2 || String(condition[0]).toLowerCase() !== 'eq') return undefined;
    let expected = condition[1] as JsonValue;
    if (Array.isArray(expected) || isPlainObject(expected)) return undefined;
    // The filter text says "True"; the element must hold a boolean (SCIMMY's Filter compares them loosely).
    if (sub.type === 'boolean' && typeof expected === 'string' && /^(true|false)$/i.test(expected))
      expected = expected.toLowerCase() === 'true';
    element[sub.name] = expected;
  }
  return element;
}

function pathlessOperation(op: PatchOpName, value: JsonValue | undefined, index: number, ctx: NormaliseContext): PatchOperation[] {
  if (op === 'remove') return [{ op }];
  if (!isPlainObject(value)) {
    throw scimError(400, 'invalidValue', `Operation ${index} of the PATCH body has no path, so its value must be an object of attributes`);
  }
  const rest: JsonObject = {};
  const split: PatchOperation[] = [];
  for (const [key, child] of Object.entries(value)) {
    const node = findAttribute(ctx.definition, key);
    const segments = parsePatchPath(ctx.definition, key);
    if (ctx.kind === 'Group' && isMembersPath(segments)) {
      split.push({ op, path: 'members', value: memberValues(child, index) });
    } else if (op === 'replace' && node && !isSchemaDefinition(node) && node.config.multiValued) {
      split.push({ op: 'replace', path: formatPatchPath(segments), value: child });
    } else {
      rest[key] = child;
    }
  }
  return Object.keys(rest).length > 0 ? [{ op, value: rest }, ...split] : split;
}

/** The value at a canonical first-segment name: `emails`, or `urn:…:User:manager` inside its extension object. */
function attributeValue(resource: JsonObject, name: string): JsonValue | undefined {
  const colon = name.lastIndexOf(':');
  if (!name.startsWith('urn:') || colon < 0) return resource[name];
  const extension = resource[name.slice(0, colon)];
  return isPlainObject(extension) ? extension[name.slice(colon + 1)] : undefined;
}
