/**
 * The HTTP requests a plan's change sends, built in one place: apply sends exactly these, and the dry-run
 * renderer prints exactly these, so a dry run shows what a sync would send. Pure: target ids come from the
 * caller (`targetIdOf`), which for apply is the cycle's live id map and for a dry run `plannedTargetIds`.
 *
 * What is not built here: the request headers, and the URL's base (the tenant URL without its query; the
 * SCIM client joins it with `requestPath`'s path the same way).
 */
import { attributePathOrNull } from '../scim/attribute-path.js';
import { managerOperation, memberAddOperation, memberRemoveOperations } from '../scim/dialect.js';
import type { Quirks } from '../scim/quirks.js';
import {
  PATCH_OP_SCHEMA,
  resourceTypeOf,
  type DialectName,
  type PatchOperation,
  type ResourceType,
  type ScimResource,
} from '../scim/types.js';
import { InternalError } from '../shared/errors.js';
import type { Change, CreateChange, DeleteChange, ManagerChange, MembersChange, ObjectRef, Plan, UpdateChange } from './plan.js';

export interface PostRequest {
  method: 'POST';
  resource: ResourceType;
  body: ScimResource;
}

export interface PatchRequest {
  method: 'PATCH';
  resource: ResourceType;
  targetId: string;
  /** The PatchOp message's operations (`patchMessage` wraps them as sent). */
  operations: PatchOperation[];
  /** A membership PATCH: the source ids of the members in its chunk, in the order of their operations. */
  memberSourceIds: string[] | null;
}

export interface DeleteRequest {
  method: 'DELETE';
  resource: ResourceType;
  targetId: string;
}

export type PlannedRequest = PostRequest | PatchRequest | DeleteRequest;

/**
 * What one change sends. `send` with no requests is possible (every member of a membership change
 * unresolved). `unresolved`: referenced source ids that had no target id and were left out. `targetId`: the
 * changed object's own target id, when it has one.
 */
export type ChangeRequests =
  | { kind: 'send'; targetId: string | null; requests: PlannedRequest[]; unresolved: string[] }
  | {
      kind: 'none';
      /**
       * `no-request`: the change sends nothing by design (skip, fail, staged delete); `source-missing`: a
       * reference whose own object has no target id; `manager-not-provisioned`: Entra leaves the reference
       * out; `manager-unresolved`: the manager has no target id.
       */
      why: 'no-request' | 'source-missing' | 'manager-not-provisioned' | 'manager-unresolved';
      targetId: string | null;
      unresolved: string[];
    };

export interface RequestOptions {
  dialect: DialectName;
  quirks: Pick<Quirks, 'managerBareId'> & Partial<Pick<Quirks, 'managerRemoveFilter'>>;
  /** Members per membership PATCH (at least 1). */
  membersPerPatch: number;
  /** The target id of a source object at the time its reference is sent; null when it has none. */
  targetIdOf(sourceId: string): string | null;
}

export function createRequest(change: CreateChange): PostRequest {
  return { method: 'POST', resource: resourceTypeOf(change.object.objectType), body: change.body };
}

export function updateRequest(change: UpdateChange): PatchRequest {
  return {
    method: 'PATCH',
    resource: resourceTypeOf(change.object.objectType),
    targetId: change.targetId,
    operations: change.operations,
    memberSourceIds: null,
  };
}

export function deleteRequest(change: DeleteChange): DeleteRequest {
  return { method: 'DELETE', resource: resourceTypeOf(change.object.objectType), targetId: change.targetId };
}

/**
 * The manager PATCH: the user's and the manager's target ids resolved now (either may have been created in
 * this cycle). A removal (`managerSourceId` null) sends the dialect's removal shape.
 */
export function managerRequests(change: ManagerChange, options: RequestOptions): ChangeRequests {
  const userTargetId = options.targetIdOf(change.object.sourceId);
  if (userTargetId === null) return { kind: 'none', why: 'source-missing', targetId: null, unresolved: [] };
  if (!change.managerProvisioned)
    return { kind: 'none', why: 'manager-not-provisioned', targetId: userTargetId, unresolved: [change.managerSourceId ?? ''] };
  let managerTargetId = '';
  if (change.managerSourceId !== null) {
    const resolved = options.targetIdOf(change.managerSourceId);
    if (resolved === null) return { kind: 'none', why: 'manager-unresolved', targetId: userTargetId, unresolved: [change.managerSourceId] };
    managerTargetId = resolved;
  }
  const path = attributePathOrNull(change.path);
  if (!path) throw new InternalError(`the manager path ${change.path} does not parse`);
  const operation = managerOperation(options.dialect, path, change.op, managerTargetId, options.quirks, change.previous);
  return {
    kind: 'send',
    targetId: userTargetId,
    requests: [{ method: 'PATCH', resource: 'Users', targetId: userTargetId, operations: [operation], memberSourceIds: null }],
    unresolved: [],
  };
}

/**
 * Membership PATCHes: the members that have a target id, in the plan's order, `membersPerPatch` to a PATCH;
 * the others are left out (unresolved).
 */
export function memberRequests(change: MembersChange, options: RequestOptions): ChangeRequests {
  const groupTargetId = options.targetIdOf(change.object.sourceId);
  if (groupTargetId === null) return { kind: 'none', why: 'source-missing', targetId: null, unresolved: [] };
  const resolved: Array<[string, string]> = [];
  const unresolved: string[] = [];
  for (const id of change.memberSourceIds) {
    const t = options.targetIdOf(id);
    if (t !== null) resolved.push([id, t]);
    else unresolved.push(id);
  }
  const requests: PatchRequest[] = [];
  for (let i = 0; i < resolved.length; i += options.membersPerPatch) {
    const chunk = resolved.slice(i, i + options.membersPerPatch);
    const targetIds = chunk.map(([, t]) => t);
    requests.push({
      method: 'PATCH',
      resource: 'Groups',
      targetId: groupTargetId,
      operations:
        change.action === 'add-members'
          ? [memberAddOperation(options.dialect, targetIds)]
          : memberRemoveOperations(options.dialect, targetIds),
      memberSourceIds: chunk.map(([s]) => s),
    });
  }
  return { kind: 'send', targetId: groupTargetId, requests, unresolved };
}

/** Every request of one change, in the order apply sends them. */
export function requestsFor(change: Change, options: RequestOptions): ChangeRequests {
  switch (change.action) {
    case 'create':
      return { kind: 'send', targetId: null, requests: [createRequest(change)], unresolved: [] };
    case 'update':
    case 'disable':
      return { kind: 'send', targetId: change.targetId, requests: [updateRequest(change)], unresolved: [] };
    case 'delete':
      return { kind: 'send', targetId: change.targetId, requests: [deleteRequest(change)], unresolved: [] };
    case 'set-manager':
      return managerRequests(change, options);
    case 'add-members':
    case 'remove-members':
      return memberRequests(change, options);
    case 'skip':
    case 'fail':
    case 'staged-delete':
      return { kind: 'none', why: 'no-request', targetId: change.targetId, unresolved: [] };
  }
}

/** The request's path under the tenant URL, as the SCIM client builds it (`/Users`, `/Groups/{id}`). */
export function requestPath(request: PlannedRequest, encodeId: (id: string) => string = encodeURIComponent): string {
  return request.method === 'POST' ? `/${request.resource}` : `/${request.resource}/${encodeId(request.targetId)}`;
}

/** The request's JSON body as sent: the resource of a POST, the PatchOp message of a PATCH; none for a DELETE. */
export function requestBody(request: PlannedRequest): unknown {
  if (request.method === 'POST') return request.body;
  if (request.method === 'PATCH') return { schemas: [PATCH_OP_SCHEMA], Operations: request.operations };
  return undefined;
}

/**
 * Target ids as apply will know them when the references phase starts, for a dry run: what the objects
 * phase links (updates, disables, skips that link), forgets (skips that drop a link) or creates (`pending`
 * stands in for an id the target assigns on POST), and otherwise the links the cycle started with
 * (`linked`). A failed change leaves its link as it was.
 */
export function plannedTargetIds(
  plan: Plan,
  linked: (sourceId: string) => string | null,
  pending: (object: ObjectRef) => string,
): (sourceId: string) => string | null {
  const after = new Map<string, string | null>();
  for (const c of plan.objects) if (c.action === 'create') after.set(c.object.sourceId, pending(c.object));
  for (const [id, targetId] of plannedLinks(plan)) after.set(id, targetId);
  return (sourceId) => (after.has(sourceId) ? after.get(sourceId)! : linked(sourceId));
}

/**
 * What apply links in `plan`'s objects phase (apply.ts `saveLink`), by source id: the target id of each
 * object updated, disabled or matched, null for one it forgets. Created objects are left out: the target
 * gives their id. A dry run planned in batches carries these to its later batches.
 */
export function plannedLinks(plan: Plan): Array<[string, string | null]> {
  const out: Array<[string, string | null]> = [];
  for (const c of plan.objects) {
    const id = c.object.sourceId;
    if (c.action === 'update' || c.action === 'disable') out.push([id, c.targetId]);
    else if (c.action === 'skip') {
      if (c.link) out.push([id, c.link.targetId]);
      if (c.forget) out.push([id, null]);
    }
  }
  return out;
}
