import SCIMMY from 'scimmy';
import { scimError } from './scim-error.js';
import { ENTERPRISE_USER_SCHEMA, LIST_RESPONSE_SCHEMA, RESOURCE_TYPES, extensionsOf, type ResourceTypeInfo } from './resource-schemas.js';
import type { JsonObject } from './types.js';

/**
 * The RFC 7644 §4 discovery documents, rendered by SCIMMY's own schema classes with this target's base URL.
 * NOTE: SCIMMY's `Resources.Schema/ResourceType/ServiceProviderConfig.read()` are not used because they read
 * the process-global `SCIMMY.Config`, declared resources and basepaths; two targets on different ports would
 * overwrite each other's locations.
 */

export interface DiscoveryOptions {
  baseUrl: string;
  bearerAuth: boolean;
  maxResults: number;
}

export function serviceProviderConfig(options: DiscoveryOptions): JsonObject {
  const config = {
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: options.maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: options.bearerAuth
      ? [
          {
            type: 'oauthbearertoken',
            name: 'OAuth Bearer Token',
            description: 'Authentication scheme using the OAuth Bearer Token Standard',
            specUri: 'https://datatracker.ietf.org/doc/html/rfc6750',
          },
        ]
      : [],
  };
  return toJson(new SCIMMY.Schemas.ServiceProviderConfig(config, `${options.baseUrl}/ServiceProviderConfig`));
}

function schemaDocuments(baseUrl: string): JsonObject[] {
  const basepath = `${baseUrl}/Schemas`;
  const user = RESOURCE_TYPES.User.schema.definition;
  return [
    user.describe(basepath),
    ...extensionsOf(user).map((extension) => extension.describe(basepath)),
    RESOURCE_TYPES.Group.schema.definition.describe(basepath),
  ].map(toJson);
}

function resourceTypeDocument(info: ResourceTypeInfo, baseUrl: string): JsonObject {
  const description = {
    id: info.kind,
    name: info.kind,
    endpoint: info.endpoint,
    description: info.description,
    schema: info.schema.id,
    ...(info.kind === 'User' ? { schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }] } : {}),
  };
  return toJson(new SCIMMY.Schemas.ResourceType(description, `${baseUrl}/ResourceTypes`));
}

export function schemasList(baseUrl: string): JsonObject {
  return listOf(schemaDocuments(baseUrl));
}

export function schemaById(baseUrl: string, id: string): JsonObject {
  const found = schemaDocuments(baseUrl).find((s) => String(s['id']).toLowerCase() === id.toLowerCase());
  if (!found) throw scimError(404, null, `Schema ${id} not found; GET /Schemas lists the schema URNs this target implements`);
  return found;
}

export function resourceTypesList(baseUrl: string): JsonObject {
  return listOf(Object.values(RESOURCE_TYPES).map((info) => resourceTypeDocument(info, baseUrl)));
}

export function resourceTypeById(baseUrl: string, id: string): JsonObject {
  const info = Object.values(RESOURCE_TYPES).find((r) => r.kind.toLowerCase() === id.toLowerCase());
  if (!info) throw scimError(404, null, `ResourceType ${id} not found; this target serves User and Group`);
  return resourceTypeDocument(info, baseUrl);
}

function listOf(resources: JsonObject[]): JsonObject {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    Resources: resources,
    startIndex: 1,
    itemsPerPage: resources.length,
  };
}

function toJson(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}
