/**
 * What every check is written with: the context it gets, how it says "failed" and the reads it verifies
 * with. A check passes by returning a sentence saying what it verified, and fails by throwing CheckFailure
 * saying what it expected and what the target did. Any other error also fails the check, with its message
 * (a ScimRequestError names the method, URL, status and the server's SCIM error).
 *
 * Verification reads are independent of whatever wrote: the lifecycle's engine has its own ScimClient,
 * and checks read back with `ctx.client` (GET by id, filter) or `ctx.raw` (a group with its members, pages).
 */
import type { ScimClient } from '../../scim/client.js';
import type { DialectName, ScimResource } from '../../scim/types.js';
import { ScimRequestError } from '../../shared/errors.js';
import { ServiceIncompatibleError } from '../../scim/service-incompatible.js';
import type { Random } from '../../shared/random.js';
import type { RawClient } from '../raw-client.js';
import type { RunObjects } from '../run-objects.js';
import type { QuirkVerdict } from '../types.js';

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface CheckContext {
  /** The verifier: a ScimClient of its own (never the engine's). */
  client: ScimClient;
  raw: RawClient;
  objects: RunObjects;
  random: Random;
  /** The dialect of this run (`--dialect`, or from the URL). */
  dialect: DialectName;
}

/**
 * What a failing check can say about why it failed, beyond its message; consequences.ts matches these
 * against the failures of the checks it depends on. Each field is set only when it is known for certain.
 */
export interface FailureDetail {
  /** The request the target refused that made the check fail. */
  refused?: ScimRequestError;
  /** A stable name for what read back wrong (`members-lost`, `manager-read-back-bare`), shared by checks that see the same wrong result. */
  symptom?: string;
  /** The scenario object (lifecycle) the check needed and could not find in the target. */
  missing?: string;
  /** The check whose end state this one starts from, when that state was not there (lifecycle preconditions). */
  precondition?: string;
  /** The check whose failure stopped this one from running at all (the engine stopped in its cycle). */
  stoppedBy?: string;
}

/** A check's verdict when it fails; `verdict` is set by quirk probes. */
export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly verdict?: QuirkVerdict,
    readonly detail: FailureDetail = {},
  ) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** What a passing check verified (and, for quirk probes, always `accepted`). */
export interface CheckOutcome {
  message: string;
  verdict?: QuirkVerdict;
}

export function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}

/** The server's words for a failed request: status, scimType and detail, or the start of the body. */
export function describeRequestError(error: unknown): string {
  if (!(error instanceof ScimRequestError)) return error instanceof Error ? error.message : String(error);
  // An answer provsim could not use: its own reason says why (the status and body alone would not).
  if (error instanceof ServiceIncompatibleError) return error.message;
  return `${error.method} ${error.url} → ${answerOf(error)}`;
}

/** `500 ("Internal server error")`, `409 (scimType uniqueness, "…")`: the answer without the request. */
export function answerOf(error: ScimRequestError): string {
  const scim = error.scimError;
  const said = scim
    ? [scim.scimType ? `scimType ${scim.scimType}` : null, scim.detail ? `"${scim.detail}"` : null].filter(Boolean).join(', ')
    : error.bodyText
      ? JSON.stringify(error.bodyText)
      : '';
  return `${error.status ?? 'no response'}${said ? ` (${said})` : ''}`;
}

/** Case-insensitive property read (SCIM attribute names are case-insensitive, RFC 7643 §2.1). */
export function prop(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const record = obj as Record<string, unknown>;
  if (name in record) return record[name];
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

/** The element of `list` (emails, phoneNumbers, roles…) whose `attr` equals `value` (case-insensitive). */
export function element(resource: unknown, attribute: string, attr: string, value: string): Record<string, unknown> | undefined {
  const list = prop(resource, attribute);
  if (!Array.isArray(list)) return undefined;
  return list.find((e) => String(prop(e, attr) ?? '').toLowerCase() === value.toLowerCase()) as Record<string, unknown> | undefined;
}

export function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** GET /Users/{id} (GET /Groups/{id}?excludedAttributes=members); a 404 fails the check. */
export async function read(ctx: CheckContext, resource: 'Users' | 'Groups', id: string, what: string): Promise<ScimResource> {
  const found = await ctx.client.get(resource, id);
  if (!found) throw new CheckFailure(`GET /${resource}/${id} answered 404: ${what} is not in the target`);
  return found;
}

/** The one resource a filter on `attribute eq value` finds; none or several fail the check. */
export async function findOne(
  ctx: CheckContext,
  resource: 'Users' | 'Groups',
  attribute: string,
  value: string,
): Promise<ScimResource & { id: string }> {
  const found = await ctx.client.filter(resource, attribute, value);
  if (found.length !== 1)
    throw new CheckFailure(`GET /${resource}?filter=${attribute} eq "${value}" found ${found.length} resources, expected exactly 1`);
  const [only] = found;
  if (typeof only?.id !== 'string')
    throw new CheckFailure(`GET /${resource}?filter=${attribute} eq "${value}" returned a resource without an id`);
  return only as ScimResource & { id: string };
}

/** The member ids of a group, read WITH members (raw GET: the SCIM client always excludes them). */
export async function memberIdsOf(ctx: CheckContext, groupId: string): Promise<string[]> {
  const response = await ctx.raw.get(`/Groups/${encodeURIComponent(groupId)}`);
  if (response.status !== 200)
    throw new CheckFailure(
      `GET /Groups/${groupId} answered ${response.status ?? `no response (${response.error ?? ''})`}, expected 200 with the group and its members`,
    );
  const members = prop(response.json, 'members');
  if (members === undefined || members === null) return [];
  if (!Array.isArray(members))
    throw new CheckFailure(`GET /Groups/${groupId} returned members as ${show(members)}, expected an array of {"value": id}`);
  return members.map((m) => String(prop(m, 'value') ?? ''));
}

/** The manager id a user reads back with, and whether it came in the RFC's complex form `{value}`. */
export function managerOf(user: unknown): { id: string | null; complex: boolean } {
  const raw = prop(prop(user, ENTERPRISE), 'manager');
  if (raw === undefined || raw === null || raw === '') return { id: null, complex: true };
  if (typeof raw === 'string') return { id: raw, complex: false };
  const value = prop(raw, 'value');
  return { id: typeof value === 'string' && value !== '' ? value : null, complex: true };
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map((x) => x.toLowerCase()));
  const right = new Set(b.map((x) => x.toLowerCase()));
  return left.size === right.size && [...left].every((x) => right.has(x));
}
