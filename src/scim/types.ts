/** SCIM wire types (RFC 7643/7644), as far as provsim reads and writes them. */
import type { ObjectType } from '../model/records.js';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ResourceType = 'Users' | 'Groups';

export function resourceTypeOf(objectType: ObjectType): ResourceType {
  return objectType === 'User' ? 'Users' : 'Groups';
}

/** A SCIM resource as JSON. Servers must return `id`. */
export type ScimResource = { [key: string]: unknown; id?: string };

export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}

export interface ListResponse {
  schemas?: string[];
  totalResults: number;
  Resources?: ScimResource[];
  startIndex?: number;
  itemsPerPage?: number;
}
