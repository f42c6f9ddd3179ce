import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startTarget, type RunningTarget, type StartTargetOptions, type TargetProfile } from '../../src/scim-server/index.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export const PROFILES: readonly TargetProfile[] = ['tolerant', 'strict'];

/**
 * Response bodies in tests. Deliberately `any`: tests index into SCIM JSON freely and assert on the values,
 * and a wrong guess fails the assertion. Test-only; src/ never uses this.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ScimResponse {
  status: number;
  headers: Headers;
  body: Json;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body text, sent as is (for malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A target started before the file's tests and emptied before each test. */
export function useTarget(options: StartTargetOptions = {}): () => RunningTarget {
  let target: RunningTarget | undefined;
  beforeAll(async () => {
    target = await startTarget(options);
  });
  afterAll(async () => {
    await target?.close();
  });
  beforeEach(() => {
    target?.reset();
  });
  return () => {
    if (!target) throw new Error('useTarget: the target is not started yet (call it inside a test)');
    return target;
  };
}

/** `path` is appended to the target's base URL verbatim, so query strings keep their exact encoding. */
export async function scim(target: RunningTarget, method: string, path: string, options: RequestOptions = {}): Promise<ScimResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['Content-Type'] = 'application/scim+json';
  const response = await fetch(`${target.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export function patchBody(...operations: unknown[]): unknown {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** An Entra-shaped user create body (spec §1.5). */
export function entraUser(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: `ext-${userName}`,
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: `${userName}@example.com` }],
    meta: { resourceType: 'User' },
    name: { formatted: 'Given Family', familyName: 'Family', givenName: 'Given' },
    roles: [],
    ...extra,
  };
}

/** An Entra-shaped group create body (spec §1.10), odd Microsoft schema URI included. */
export function entraGroup(displayName: string): Record<string, unknown> {
  return {
    schemas: [GROUP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
    externalId: `ext-${displayName}`,
    displayName,
    meta: { resourceType: 'Group' },
  };
}

export async function createUser(target: RunningTarget, userName: string, extra: Record<string, unknown> = {}): Promise<Json> {
  const response = await scim(target, 'POST', '/Users', { body: entraUser(userName, extra) });
  if (response.status !== 201)
    throw new Error(`createUser ${userName}: expected 201, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function createGroup(target: RunningTarget, displayName: string): Promise<Json> {
  const response = await scim(target, 'POST', '/Groups', { body: entraGroup(displayName) });
  if (response.status !== 201)
    throw new Error(`createGroup ${displayName}: expected 201, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function getResource(target: RunningTarget, path: string): Promise<Json> {
  const response = await scim(target, 'GET', path);
  if (response.status !== 200) throw new Error(`GET ${path}: expected 200, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export function memberIds(group: Json): string[] {
  return ((group.members ?? []) as Array<{ value: string }>).map((m) => m.value).sort();
}
