/**
 * The plan: pure data, versioned, in ordered phases. `diff` computes it; `apply` executes it and never
 * decides. Decisions are in `action` and its payload; `reason` is for humans only.
 */
import type { DialectName, PatchOperation, ScimResource } from '../scim/types.js';
import type { Anchor, CycleKind, ModifiedProperty, ObjectType } from '../model/records.js';

export const PLAN_FORMAT_VERSION = 1;

export interface ObjectRef {
  objectType: ObjectType;
  sourceId: string;
  displayName: string;
}

interface ChangeBase {
  /** Stable within a plan: `<sourceId>/<action>`. */
  id: string;
  object: ObjectRef;
  /** For humans only; apply never reads it. */
  reason: string;
}

/** POST a new object. */
export interface CreateChange extends ChangeBase {
  action: 'create';
  body: ScimResource;
  /** Target values after success, by target path (the next incremental diff's base). */
  exported: Record<string, unknown>;
  modified: ModifiedProperty[];
}

/** PATCH attributes of a linked (or just matched) object. `disable` is an update that deprovisions. */
export interface UpdateChange extends ChangeBase {
  action: 'update' | 'disable';
  targetId: string;
  operations: PatchOperation[];
  modified: ModifiedProperty[];
  /** Link (store the anchor) even if the PATCH fails: the object was matched. */
  link: boolean;
  exported: Record<string, unknown>;
  anchorStatus: Anchor['status'];
}

/** Nothing to send. May still link a matched object, or forget an anchor. */
export interface SkipChange extends ChangeBase {
  action: 'skip';
  targetId: string | null;
  /** Entra's skip reason: RedundantExport, NotEffectivelyEntitled, … */
  skipReason: string;
  link: { targetId: string; exported: Record<string, unknown>; anchorStatus: Anchor['status'] } | null;
  /** Drop the anchor: Entra stops managing this object. */
  forget: boolean;
}

/** A failure decided without sending anything (duplicate matches, an expression that failed). */
export interface FailChange extends ChangeBase {
  action: 'fail';
  targetId: string | null;
  errorCode: string;
  message: string;
  /** The request that failed while observing, when the failure came from the target. */
  details?: { method: string; url: string; status: number | null; body: unknown } | null;
}

export interface DeleteChange extends ChangeBase {
  action: 'delete';
  targetId: string;
}

/** A disable or delete held back by accidental-deletion prevention. */
export interface StagedDeleteChange extends ChangeBase {
  action: 'staged-delete';
  targetId: string;
  held: UpdateChange | DeleteChange;
}

/** Manager reference: resolved to the manager's target id at apply time (it may be created in this cycle). */
export interface ManagerChange extends ChangeBase {
  action: 'set-manager';
  path: string;
  op: 'add' | 'replace';
  managerSourceId: string | null;
  /** For humans (logs): the manager's display name. */
  managerDisplayName: string | null;
  /**
   * false: the manager is not provisioned, so Entra leaves the reference out (and logs it); nothing is
   * sent. It is not fixed later unless this user changes or a new initial cycle runs.
   */
  managerProvisioned: boolean;
  previous: string | null;
}

export interface MembersChange extends ChangeBase {
  action: 'add-members' | 'remove-members';
  memberSourceIds: string[];
  /** For humans (logs): display names, parallel to memberSourceIds. */
  memberDisplayNames: string[];
}

export type ObjectChange = CreateChange | UpdateChange | SkipChange | FailChange;
export type ReferenceChange = ManagerChange | MembersChange;
export type DeprovisionChange = DeleteChange | StagedDeleteChange | SkipChange;
export type Change = ObjectChange | ReferenceChange | DeleteChange | StagedDeleteChange;

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  cycleId: string;
  kind: CycleKind;
  dialect: DialectName;
  /** Users and groups: creates, updates, disables, links, skips, failures. */
  objects: ObjectChange[];
  /** After every object exists: manager and membership PATCHes. */
  references: ReferenceChange[];
  /** Last: DELETEs (and staged deletes), and anchors to forget. */
  deletes: DeprovisionChange[];
  /** True when accidental-deletion prevention held deletions back (Entra: quarantine TooManyDeletes). */
  deletionThresholdExceeded: boolean;
}

/** Changes that send at least one request. */
export function isWrite(change: Change): boolean {
  if (change.action === 'set-manager') return change.managerProvisioned;
  return (
    change.action === 'create' ||
    change.action === 'update' ||
    change.action === 'disable' ||
    change.action === 'delete' ||
    change.action === 'add-members' ||
    change.action === 'remove-members'
  );
}
