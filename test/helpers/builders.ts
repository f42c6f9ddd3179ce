/**
 * In-memory builders for the pure core's tests (changesets' FakeFullState, in spirit): tenants, mappings,
 * desired objects, links and observations as plain values, built through the real loaders and compiler so
 * that a test reads as Entra's tables do: "a user unassigned after it was provisioned is disabled".
 *
 * Names stand for objects: `aUser('ann')` is ann@contoso.com with a GUID derived from the name, so a test
 * refers to `id('ann')` without writing GUIDs.
 */
import { createHash } from 'node:crypto';
import { evaluateSource, type DesiredObject } from '../../src/engine/desired.js';
import type { DiffInput } from '../../src/engine/diff.js';
import type { Observation } from '../../src/engine/observation.js';
import type { WorkItem } from '../../src/engine/select-work.js';
import { compileJob, type CompiledJob } from '../../src/mapping/compile.js';
import { GROUP_SOURCE_ATTRIBUTES, parseJob, USER_SOURCE_ATTRIBUTES } from '../../src/mapping-file/index.js';
import type { Tenant } from '../../src/model/directory.js';
import type { Anchor } from '../../src/model/records.js';
import { defaultQuirks } from '../../src/scim/quirks.js';
import type { DialectName, ScimResource } from '../../src/scim/types.js';
import { ManualClock } from '../../src/shared/clock.js';
import { seededRandom } from '../../src/shared/random.js';
import { parseTenant } from '../../src/source/index.js';

/** A GUID derived from a name: the same name, the same id. */
export function id(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const upn = (name: string): string => `${name}@contoso.com`;

export interface UserSpec {
  name: string;
  displayName?: string;
  department?: string;
  enabled?: boolean;
  softDeleted?: boolean;
  /** The manager's name. */
  manager?: string;
}

export interface GroupSpec {
  name: string;
  /** Member names (users or groups). */
  members: string[];
}

export const aUser = (name: string, over: Omit<UserSpec, 'name'> = {}): UserSpec => ({ name, ...over });
export const aGroup = (name: string, members: string[] = []): GroupSpec => ({ name, members });

/** A tenant of these users and groups; `assigned` names the users and groups assigned to the app (all users by default). */
export function aTenant(users: UserSpec[], groups: GroupSpec[] = [], assigned: string[] = users.map((u) => u.name)): Tenant {
  const usersText = JSON.stringify(
    users.map((u) => ({
      id: id(u.name),
      userPrincipalName: upn(u.name),
      displayName: u.displayName ?? u.name[0]!.toUpperCase() + u.name.slice(1),
      mailNickname: u.name,
      ...(u.department !== undefined ? { department: u.department } : {}),
      ...(u.enabled === false ? { accountEnabled: false } : {}),
      ...(u.softDeleted ? { softDeleted: true } : {}),
      ...(u.manager ? { manager: id(u.manager) } : {}),
    })),
  );
  const groupsText = JSON.stringify(groups.map((g) => ({ id: id(g.name), displayName: g.name, members: g.members.map(id) })));
  const assignmentsText = JSON.stringify({
    app: { name: 'App', appRoles: [] },
    assignments: assigned.map((name) => ({ principal: id(name) })),
  });
  const { tenant, diagnostics } = parseTenant({
    dir: 'builders',
    users: { file: 'users.yaml', text: usersText },
    assignments: { file: 'assignments.yaml', text: assignmentsText },
    ...(groups.length > 0 ? { groups: { file: 'groups.yaml', text: groupsText } } : {}),
  });
  if (!tenant) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return tenant;
}

export interface JobSpec {
  /** Mapping settings, as the YAML's `settings:` block takes them. */
  settings?: Record<string, unknown>;
  userActions?: string[];
  groupActions?: string[];
  /** Replaces the displayName row's source with this expression. */
  displayNameExpression?: string;
  /** A scoping filter on users: department EQUALS this value. */
  scopeDepartment?: string;
}

/** Entra's default-style mapping, small: userName matched, displayName, active from IsSoftDeleted, the manager; groups with members. */
export function aJob(spec: JobSpec = {}): CompiledJob {
  const settings = spec.settings ? `settings: ${JSON.stringify(spec.settings)}\n` : '';
  const actions = (a: string[] | undefined) => (a ? `  actions: [${a.join(', ')}]\n` : '');
  const displayName = spec.displayNameExpression
    ? `{target: displayName, expression: '${spec.displayNameExpression}'}`
    : '{target: displayName, source: displayName}';
  const scoping = spec.scopeDepartment
    ? `  scoping:\n    - - {attribute: department, operator: EQUALS, value: ${spec.scopeDepartment}}\n`
    : '';
  const yaml = `${settings}users:
${actions(spec.userActions)}${scoping}  attributes:
    - {target: userName, source: userPrincipalName, match: 1}
    - ${displayName}
    - {target: active, expression: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'}
    - {target: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', source: manager}
groups:
${actions(spec.groupActions)}  attributes:
    - {target: displayName, source: displayName, match: 1}
    - {target: members, source: members}
`;
  const parsed = parseJob({ file: 'mapping.yaml', text: yaml });
  if (!parsed.job) throw new Error(parsed.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const { compiled, diagnostics } = compileJob(parsed.job, { users: USER_SOURCE_ATTRIBUTES, groups: GROUP_SOURCE_ATTRIBUTES });
  if (!compiled) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return compiled;
}

/** The desired objects of a tenant under a mapping, by source id (Now() and Guid() on a fixed clock and seed). */
export function desiredOf(tenant: Tenant, job: CompiledJob): Map<string, DesiredObject> {
  const desired = evaluateSource(tenant, job, { clock: new ManualClock('2026-05-01T08:00:00Z'), random: seededRandom(1) });
  return new Map(desired.map((d) => [d.id, d]));
}

/** The link provsim made for an object in an earlier cycle; `exported` is what it last wrote. */
export function anAnchor(name: string, over: Partial<Anchor> = {}): Anchor {
  return {
    objectType: 'User',
    sourceId: id(name),
    targetId: `t-${name}`,
    displayName: name[0]!.toUpperCase() + name.slice(1),
    status: 'active',
    exported: { userName: upn(name), displayName: name[0]!.toUpperCase() + name.slice(1), active: 'True' },
    ...over,
  };
}

/** A user resource as a target returns it. */
export function aResource(name: string, over: Record<string, unknown> = {}): ScimResource {
  return {
    id: `t-${name}`,
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: upn(name),
    displayName: name[0]!.toUpperCase() + name.slice(1),
    active: true,
    ...over,
  };
}

export const matched = (name: string, over: Record<string, unknown> = {}): Observation => ({
  kind: 'matched',
  targetId: `t-${name}`,
  resource: aResource(name, over),
  attribute: 'userName',
  value: upn(name),
});
export const notFound = (name: string): Observation => ({ kind: 'not-found', queried: [{ attribute: 'userName', value: upn(name) }] });
export const readBack = (name: string, over: Record<string, unknown> = {}): Observation => ({
  kind: 'read',
  targetId: `t-${name}`,
  resource: aResource(name, over),
});
export const anchorMissing = (name: string): Observation => ({ kind: 'anchor-missing', targetId: `t-${name}` });
export const duplicate = (name: string): Observation => ({ kind: 'duplicate', attribute: 'userName', value: upn(name), count: 2 });
export const readFailed = (code: string): Observation => ({
  kind: 'failed',
  failure: {
    code,
    message: `${code}: the target answered 500`,
    details: { method: 'GET', url: 'http://127.0.0.1/scim/Users', status: 500, body: null },
  },
});

/** One work item: an object the cycle looks at, with its link (by name) if it has one. */
export function workItem(
  name: string,
  desired: ReadonlyMap<string, DesiredObject>,
  links: ReadonlyMap<string, Anchor>,
  observe: WorkItem['observe'] = 'none',
): WorkItem {
  const sourceId = id(name);
  return { sourceId, source: desired.get(sourceId) ?? null, anchor: links.get(sourceId) ?? null, observe };
}

export interface Scenario {
  tenant: Tenant;
  job?: CompiledJob;
  /** Links from earlier cycles. */
  links?: Anchor[];
  /** What the cycle read of each object, by name. */
  observed?: Record<string, Observation>;
  /** Members provsim added to a group earlier, by group name. */
  memberships?: Record<string, string[]>;
  /** Names of the objects in the work; every desired object and every link by default. */
  work?: string[];
  dialect?: DialectName;
  allowDeletes?: boolean;
}

/** A DiffInput for a scenario, with every value the diff reads given as a plain value. */
export function diffInputOf(s: Scenario): DiffInput {
  const job = s.job ?? aJob();
  const desired = desiredOf(s.tenant, job);
  const links = new Map((s.links ?? []).map((a) => [a.sourceId, a]));
  const names = new Map<string, string>();
  for (const u of s.tenant.users) names.set(u.id, u.userPrincipalName.split('@')[0]!);
  for (const g of s.tenant.groups) names.set(g.id, g.displayName);
  for (const a of links.values()) if (!names.has(a.sourceId)) names.set(a.sourceId, a.displayName.toLowerCase());
  const workIds = s.work ? s.work.map(id) : [...new Set([...desired.keys(), ...links.keys()])];
  const observations = new Map(Object.entries(s.observed ?? {}).map(([name, o]) => [id(name), o]));
  const dialect = s.dialect ?? 'legacy';
  return {
    cycleId: 'cycle-1',
    kind: 'incremental',
    work: workIds.map((sourceId) => ({
      sourceId,
      source: desired.get(sourceId) ?? null,
      anchor: links.get(sourceId) ?? null,
      observe: 'none',
    })),
    desired,
    links,
    targetIds: new Map([...links.values()].map((a) => [a.sourceId, a.targetId])),
    memberships: new Map(Object.entries(s.memberships ?? {}).map(([group, members]) => [id(group), new Set(members.map(id))])),
    observations,
    job,
    dialect,
    allowDeletes: s.allowDeletes ?? false,
    quirks: defaultQuirks(dialect),
  };
}

// ── failed provisioning-log entries (failure grouping and hints) ─────────────────────────────────────────

import type { LogEntry, ObjectType } from '../../src/model/records.js';

/** A SCIM error body as a server answers it. */
export const aScimError = (status: number, scimType: string | null, detail: string): Record<string, unknown> => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
  status: String(status),
  ...(scimType !== null ? { scimType } : {}),
  detail,
});

export interface FailureSpec {
  type?: ObjectType;
  /** The failing request's method; null: no request failed (errorDetails null, the reason is `reason`). @default 'PATCH' */
  method?: string | null;
  /** @default 400; null: no response arrived */
  status?: number | null;
  /** The response body (aScimError, a string, or null). @default null */
  body?: unknown;
  /** Entra's error code. @default 'UnprocessableEntity' */
  code?: string;
  /** The errorReason; by default the client's message for the request (with `network` when no response arrived). */
  reason?: string;
  /** Node's network code for a request without a response. @default 'ECONNRESET' */
  network?: string;
  /** The failing request's URL; by default `/Users` or `/Groups` for a POST, else the object's target id under it. */
  url?: string;
  /** What the failing request wrote: a failed manager or members reference, or the object itself. @default 'object' */
  part?: 'object' | 'manager' | 'members';
}

/** A failed log entry for `name` (display name `name`, source id `id(name)`), shaped as log-entries.ts builds it. */
export function aFailedEntry(name: string, spec: FailureSpec = {}): LogEntry {
  const type = spec.type ?? 'User';
  const method = spec.method === undefined ? 'PATCH' : spec.method;
  const status = spec.status === undefined ? 400 : spec.status;
  const code = spec.code ?? 'UnprocessableEntity';
  const part = spec.part ?? 'object';
  const resource = type === 'User' ? 'Users' : 'Groups';
  const url = spec.url ?? `http://127.0.0.1:8080/scim/v2/${resource}${method === 'POST' ? '' : `/t-${name}`}`;
  const network = spec.network ?? 'ECONNRESET';
  const body = spec.body ?? null;
  const reason =
    spec.reason ??
    (method === null
      ? `${code}: ${name} failed`
      : status === null
        ? `${method} ${url} → no response ${code}: ${network}: socket hang up`
        : `${method} ${url} → ${status} ${code}: ${body === null ? 'no response body' : `response body: ${JSON.stringify(body)}`}`);
  const referenceFailed = part !== 'object';
  return {
    id: `log-${name}`,
    cycleId: 'cycle-1',
    changeId: `change-${name}`,
    activityDateTime: '2026-05-01T08:00:00.000Z',
    durationInMilliseconds: 12,
    provisioningAction: referenceFailed ? 'Update' : method === 'POST' ? 'Create' : 'Update',
    status: 'Failure',
    errorCode: code,
    errorReason: reason,
    errorDetails: method === null ? null : { method, url, status, body },
    sourceIdentity: { id: id(name), type, displayName: name },
    targetIdentity: { id: method === 'POST' ? null : `t-${name}`, type, displayName: name },
    modifiedProperties: [],
    provisioningSteps: [
      { name: 'EntryImport', provisioningStepType: 'import', status: 'success', description: `Retrieved ${type} '${name}' from Entra ID` },
      {
        name: method === 'POST' ? 'EntryExportAdd' : 'EntryExportUpdate',
        provisioningStepType: 'export',
        status: referenceFailed ? 'success' : 'failure',
        description: referenceFailed ? `${type} '${name}' was updated in the target` : reason,
      },
      ...(referenceFailed
        ? [
            {
              name: 'EntryReferenceResolution',
              provisioningStepType: 'referenceResolution' as const,
              status: 'failure' as const,
              description: `${part}: changed (${reason})`,
            },
          ]
        : []),
    ],
  };
}

// ── mappings and links for plan views (create bodies with nested and extension paths, group links) ─────────

/**
 * aJob's user mapping with more rows after it, each a YAML flow mapping, e.g.
 * `{target: name.givenName, source: mailNickname}` (nested, filtered and extension paths for POST bodies).
 */
export function aJobWithUserRows(rows: string[]): CompiledJob {
  const yaml = `users:
  attributes:
    - {target: userName, source: userPrincipalName, match: 1}
    - {target: displayName, source: displayName}
    - {target: active, expression: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'}
    - {target: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', source: manager}
${rows.map((r) => `    - ${r}\n`).join('')}groups:
  attributes:
    - {target: displayName, source: displayName, match: 1}
    - {target: members, source: members}
`;
  const parsed = parseJob({ file: 'mapping.yaml', text: yaml });
  if (!parsed.job) throw new Error(parsed.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const { compiled, diagnostics } = compileJob(parsed.job, { users: USER_SOURCE_ATTRIBUTES, groups: GROUP_SOURCE_ATTRIBUTES });
  if (!compiled) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return compiled;
}

/** A group's link, as `anAnchor` makes a user's: target id `t-<name>`. */
export function aGroupAnchor(name: string, over: Partial<Anchor> = {}): Anchor {
  return anAnchor(name, { objectType: 'Group', targetId: `t-${name}`, displayName: name, exported: { displayName: name }, ...over });
}
