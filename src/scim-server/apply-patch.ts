import SCIMMY from 'scimmy';
import { normaliseOperation } from './patch-operations.js';
import { forbiddenNameIn } from './prototype-keys.js';
import { PATCH_OP_SCHEMA, RESOURCE_TYPES, type ResourceKind } from './resource-schemas.js';
import type { TargetRules } from './rules.js';
import { scimError } from './scim-error.js';
import type { JsonObject } from './types.js';
import { isPlainObject } from './value-shapes.js';

/**
 * Apply a PATCH body to a stored resource and return the patched copy (the input is not modified).
 * SCIMMY's PatchOp validates the message and does the patching. Operations are applied one by one so that
 * each is normalised (patch-operations.ts) against the state the previous ones left — rule 3 asks "does an
 * element match this filter now?". The result is not validated for uniqueness or members; the caller writes
 * it through the same path as PUT. Nothing is stored if any operation fails. A path that names `__proto__`,
 * `constructor` or `prototype` is refused before SCIMMY sees the body (prototype-keys.ts; the HTTP layer
 * refuses such keys anywhere in a body).
 */
export async function applyPatch(
  kind: ResourceKind,
  current: JsonObject,
  body: unknown,
  rules: Readonly<TargetRules>,
): Promise<JsonObject> {
  if (!isPlainObject(body)) {
    throw scimError(400, 'invalidSyntax', `PATCH body must be a PatchOp object {"schemas": ["${PATCH_OP_SCHEMA}"], "Operations": [...]}`);
  }
  refuseInternals(body);
  // SCIMMY checks the envelope: the PatchOp schema URN, a non-empty Operations array, op/path/value presence.
  const message = new SCIMMY.Messages.PatchOp(body as never);
  const { schema } = RESOURCE_TYPES[kind];
  let state = current;
  for (const [position, raw] of (message.Operations as unknown[]).entries()) {
    const index = position + 1;
    const operations = normaliseOperation(raw, index, { kind, definition: schema.definition, rules, current: state });
    for (const operation of operations) {
      try {
        const single = new SCIMMY.Messages.PatchOp({ schemas: [PATCH_OP_SCHEMA], Operations: [operation as never] });
        // apply() returns undefined when the operation changed nothing.
        const patched = await single.apply(new schema(state, 'both'));
        if (patched) state = JSON.parse(JSON.stringify(patched)) as JsonObject;
      } catch (error) {
        throw renumbered(error, index);
      }
    }
  }
  return state;
}

/** SCIMMY numbers operations within the one-operation message it was given; say which one of the request failed. */
function renumbered(error: unknown, index: number): unknown {
  if (error instanceof Error && index !== 1) error.message = error.message.replace(/\boperation 1\b/g, `operation ${index}`);
  return error;
}

/** 400 invalidPath for the first operation whose path names a JavaScript object internal. */
function refuseInternals(body: JsonObject): void {
  const operations = body['Operations'];
  if (!Array.isArray(operations)) return;
  for (const [position, operation] of operations.entries()) {
    const path = isPlainObject(operation) ? operation['path'] : undefined;
    const internal = typeof path === 'string' ? forbiddenNameIn(path) : null;
    if (internal === null) continue;
    throw scimError(
      400,
      'invalidPath',
      `Operation ${position + 1} of the PATCH body has path ${JSON.stringify(path)}, which names '${internal}': not a SCIM attribute; this target refuses JavaScript object internals (__proto__, constructor, prototype) in attribute paths`,
    );
  }
}
