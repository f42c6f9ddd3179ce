import { scimError } from './scim-error.js';
import type { JsonValue } from './types.js';
import { isPlainObject } from './value-shapes.js';

/**
 * The ids of members as a client sends them (`[{"value": id, "$ref": null, …}]`, or one such object).
 * Only `value` counts: `$ref`, `display` and `type` are derived by the target. A member without a string
 * `value` is a 400 naming its position and `where` it was sent.
 */
export function memberIds(members: JsonValue, where: string): string[] {
  const list = Array.isArray(members) ? members : [members];
  return list.map((member, position) => {
    const id = isPlainObject(member) ? member['value'] : undefined;
    if (typeof id !== 'string' || id.length === 0) {
      throw scimError(
        400,
        'invalidValue',
        `Member ${position + 1} in ${where} has no string 'value'; each member must be {"value": "<user or group id>"}`,
      );
    }
    return id;
  });
}
