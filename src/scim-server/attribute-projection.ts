import SCIMMY from 'scimmy';
import { extensionsOf, type ResourceSchemaClass } from './resource-schemas.js';
import { scimError } from './scim-error.js';
import type { JsonObject } from './types.js';

/** `attributes` / `excludedAttributes` of a request, ready to hand to SCIMMY's outbound coercion. */
export interface Projection {
  filter?: SCIMMY.Types.Filter;
  /** The names from `attributes=`, when that parameter was given (it wins over `excludedAttributes`). */
  requested?: string[];
}

export const NO_PROJECTION: Projection = Object.freeze({});

/**
 * Build the attribute filter the way SCIMMY's Resource constructor does (`a pr and b pr` / `a np and b np`),
 * with two workarounds for SCIMMY 1.3.5 when `attributes=` is used:
 * - `schemas` is always requested: SCIMMY otherwise drops it, and then throws while re-attaching an extension
 *   (`attributes=urn:…:enterprise:2.0:User:department` crashed inside SCIMMY). RFC 7643 §3 makes `schemas`
 *   part of every resource representation anyway.
 * - render() removes extension objects that were not asked for (SCIMMY keeps them when the request names
 *   only sub-attributes such as `name.givenName`), and drops from `schemas` any extension left out.
 */
export function parseProjection(attributes: string | undefined, excludedAttributes: string | undefined): Projection {
  const list = (text: string): string[] =>
    text
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a.length > 0);
  try {
    if (attributes !== undefined) {
      const requested = list(attributes);
      if (requested.length === 0) return NO_PROJECTION;
      return { filter: new SCIMMY.Types.Filter(['schemas', ...requested].map((a) => `${a} pr`).join(' and ')), requested };
    }
    if (excludedAttributes !== undefined) {
      const excluded = list(excludedAttributes);
      if (excluded.length === 0) return NO_PROJECTION;
      return { filter: new SCIMMY.Types.Filter(excluded.map((a) => `${a} np`).join(' and ')) };
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const which = attributes !== undefined ? `attributes=${attributes}` : `excludedAttributes=${excludedAttributes ?? ''}`;
    throw scimError(400, 'invalidFilter', `Query parameter ${which} is not a comma-separated list of attribute names: ${reason}`);
  }
  return NO_PROJECTION;
}

/** Serialise a stored resource through SCIMMY's outbound coercion (meta.location from `collectionUrl`). */
export function render(schema: ResourceSchemaClass, resource: JsonObject, collectionUrl: string, projection: Projection): JsonObject {
  const out = JSON.parse(JSON.stringify(new schema(resource, 'out', collectionUrl, projection.filter))) as JsonObject;
  for (const extension of extensionsOf(schema.definition)) {
    const id = extension.id.toLowerCase();
    const asked = projection.requested?.some((r) => r.toLowerCase() === id || r.toLowerCase().startsWith(`${id}:`)) ?? true;
    if (!asked) delete out[extension.id];
    // `schemas` lists an extension only when its object is in this representation (RFC 7643 §3).
    const schemas = out['schemas'];
    if (!(extension.id in out) && Array.isArray(schemas)) out['schemas'] = schemas.filter((s) => s !== extension.id);
  }
  return out;
}
