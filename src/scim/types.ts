/** SCIM wire types (RFC 7643/7644), as far as provsim reads and writes them. */
import type { ObjectType } from '../model/records.js';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** The second schema URI of Entra's documented group POST (spec §1.10; UNCONFIRMED that it is still sent). */
export const ADSCIM_GROUP_SCHEMA = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

/** The two PATCH dialects Entra speaks (scim/dialect.ts). */
export type DialectName = 'legacy' | 'aadOptscim062020';

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

/** Per-request timeout in ms when none is given. */
export const DEFAULT_TIMEOUT_MS = 30_000;
