/**
 * Plain data types of the embedded SCIM target. Everything here is JSON: what goes over the wire,
 * what `snapshot()` returns and what `requests()` records.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `meta` as the target returns it. Timestamps are ISO-8601 strings; `version` is a weak ETag (`W/"3"`). */
export type ScimMeta = {
  resourceType: 'User' | 'Group';
  created: string;
  lastModified: string;
  location: string;
  version?: string;
};

/**
 * A User or Group exactly as the target serialises it: core attributes at the top level, extension attributes
 * nested under their schema URN (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`).
 */
export type ScimResource = JsonObject & {
  id: string;
  schemas: string[];
  meta: ScimMeta;
};

export type TargetProfile = 'tolerant' | 'strict';

export interface TargetOptions {
  /** 0 or absent = a free port. */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** When set, every request must carry `Authorization: Bearer <token>`, else 401 with a SCIM error body. */
  token?: string | null;
  /** @default 'tolerant' */
  profile?: TargetProfile;
  /** Mount path of the SCIM API. @default '/scim/v2' */
  basePath?: string;
  /** Page size used when a list request has no `count`. @default 100 */
  defaultPageSize?: number;
  /** The largest request body accepted, in bytes; a larger one gets 413 with a SCIM error, unread. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /** Requests `requests()` keeps: the most recent ones. @default 10000 */
  requestLogSize?: number;
  /** Bytes (URLs and raw bodies) `requests()` keeps at most, the most recent first. @default 67108864 (64 MiB) */
  requestLogBytes?: number;
}

/** One received request. `url` is the path and query exactly as received (basePath included). */
export interface RequestLogEntry {
  method: string;
  url: string;
  /** The response status; 0 while the response has not been sent yet. */
  status: number;
  /** The parsed JSON body, or undefined when the request had no body, it was not JSON or it was not read (401, 413). */
  body: unknown;
}

export interface RunningTarget {
  /** Base URL including basePath, no trailing slash, e.g. http://127.0.0.1:41234/scim/v2 */
  url: string;
  port: number;
  profile: TargetProfile;
  /** Deep copies of all stored resources as the server would return them (members included). */
  snapshot(): { users: ScimResource[]; groups: ScimResource[] };
  /**
   * The most recent requests received, oldest first (at most `requestLogSize` of them and about
   * `requestLogBytes`): method, path+query, status, request body (parsed JSON, or undefined when there was
   * none, it was not JSON, or the request was refused before its body was read: 401, 413).
   */
  requests(): ReadonlyArray<RequestLogEntry>;
  /** Remove all resources and the request log. */
  reset(): void;
  close(): Promise<void>;
}
