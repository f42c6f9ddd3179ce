/**
 * diff(desired, observed, state) → Plan. PURE: no I/O, no clock, no logging (spec §5.1–5.6).
 *
 * Per object: match result → create / link+update / skip (RedundantExport); deprovisioning by Entra's
 * table (§5.5): unassigned/out of scope/disabled/soft-deleted → PATCH active false (unless
 * skipOutOfScopeDeletions for the first two), hard-deleted → DELETE unless the user was already disabled
 * by unassignment, groups → DELETE. References (manager, members) are planned by source id and resolved to
 * target ids when applied, since their objects may be created in the same cycle.
 */
import type { RoleList } from '../expression/index.js';
import type { CompiledAttribute, CompiledJob, CompiledObjectMapping } from '../mapping/compile.js';
import type { MappedAttribute } from '../mapping/map-object.js';
import { readAttributePath, type AttributePath } from '../scim/attribute-path.js';
import { buildCreateBody, type BodyEntry, type RoleEntry } from '../scim/build-resource.js';
import type { Quirks } from '../scim/quirks.js';
import type { AppRole } from '../model/directory.js';
import { attributeOperations, type AttributeChange } from '../scim/dialect.js';
import type { DialectName, ScimResource } from '../scim/types.js';
import type { Anchor, CycleKind, ModifiedProperty } from '../model/records.js';
import type { Observation, RequestFailure } from './observation.js';
import {
  PLAN_FORMAT_VERSION,
  type DeleteChange,
  type FailChange,
  type DeprovisionChange,
  type ObjectChange,
  type ObjectRef,
  type Plan,
  type ReferenceChange,
  type StagedDeleteChange,
  type UpdateChange,
} from './plan.js';
import type { WorkItem } from './select-work.js';
import type { SourceState } from './source-state.js';

export interface DiffInput {
  cycleId: string;
  kind: CycleKind;
  work: readonly WorkItem[];
  /** Every source object of this cycle, by id (references need the state of objects not in `work`). */
  sources: ReadonlyMap<string, SourceState>;
  anchors: ReadonlyMap<string, Anchor>;
  /** Members provsim has added to a group (source ids), by group source id: a Map, or a lookup in the store. */
  memberships: Pick<ReadonlyMap<string, ReadonlySet<string>>, 'get'>;
  observations: ReadonlyMap<string, Observation>;
  job: CompiledJob;
  dialect: DialectName;
  /** Entra's ForceDeletes: let deletions through the accidental-deletion threshold. */
  allowDeletes: boolean;
  /** Request shapes where Entra's documentation is silent (scim/quirks.ts). */
  quirks: Quirks;
  /** Batched cycles (`diffBatch`): objects an earlier batch planned to exist; they can be referenced. */
  existing?: ReadonlySet<string>;
  /** Batched cycles: objects of later batches. An object that references one has its references deferred. */
  pending?: ReadonlySet<string>;
  /** Batched cycles: target ids of objects linked by earlier batches of this cycle (matched or created). */
  linkedEarlier?: Pick<ReadonlyMap<string, string>, 'get'>;
}

/** An object whose references wait for objects of later batches (see `diffBatch`). */
export interface DeferredReferences {
  source: SourceState;
  current: CurrentValues | null;
}

export interface BatchDiff {
  /** The batch's plan; its `references` are those of objects whose referenced objects are all planned. */
  plan: Plan;
  /** Objects of this batch that exist (or will) after the objects phase: they can be referenced. */
  exists: string[];
  /** Objects whose references must be planned after the last batch (`planDeferredReferences`). */
  deferred: DeferredReferences[];
}

const REDACTED = '[Redact]';

export function diff(input: DiffInput): Plan {
  return diffBatch(input).plan;
}

/**
 * One batch of a large cycle (or, without `existing`/`pending`, the whole cycle: `diff`). Deprovisioning
 * (disables and deletes) must all be in one batch, since accidental-deletion prevention counts them
 * together.
 */
export function diffBatch(input: DiffInput): BatchDiff {
  const objects: ObjectChange[] = [];
  const deletes: DeprovisionChange[] = [];
  const references: ReferenceChange[] = [];
  /**
   * Objects that can be referenced (as manager or member) after the objects phase: linked objects still
   * present in Entra, whatever their active state (a disabled user stays a member and a manager, as its
   * target object still exists), plus objects matched or created in this cycle.
   */
  const willExist = new Set<string>(input.existing ?? []);
  for (const id of input.anchors.keys()) if (input.sources.has(id)) willExist.add(id);

  const planned: Array<{ item: WorkItem; current: CurrentValues | null }> = [];
  const exists: string[] = [];
  for (const item of input.work) {
    const result = planObject(item, input);
    if (result.change) (result.isDeprovision ? deletes : objects).push(result.change as never);
    if (result.exists && item.source) {
      willExist.add(item.sourceId);
      exists.push(item.sourceId);
    }
    if (result.exists) planned.push({ item, current: result.current });
  }

  const deferred: DeferredReferences[] = [];
  for (const { item, current } of planned) {
    const source = item.source;
    if (!source) continue;
    if (input.pending && referencesPending(source, input.pending)) deferred.push({ source, current });
    else references.push(...planReferences(source, current, willExist, input));
  }

  // Accidental-deletion prevention (spec §5.11): disables and deletes of one cycle count together.
  const threshold = input.job.job.settings.accidentalDeletionThreshold;
  const disables = objects.filter((c): c is UpdateChange => c.action === 'disable');
  const hardDeletes = deletes.filter((c): c is DeleteChange => c.action === 'delete');
  const count = disables.length + hardDeletes.length;
  const deletionThresholdExceeded = threshold !== null && count >= threshold && !input.allowDeletes;
  if (deletionThresholdExceeded) {
    const stage = (held: UpdateChange | DeleteChange): StagedDeleteChange => ({
      action: 'staged-delete',
      id: `${held.object.sourceId}/staged-delete`,
      object: held.object,
      targetId: held.targetId,
      held,
      reason: `held back: ${count} disables and deletes reach the accidental-deletion threshold of ${threshold} (rerun with --allow-deletes to let them through)`,
    });
    const plan: Plan = {
      formatVersion: PLAN_FORMAT_VERSION,
      cycleId: input.cycleId,
      kind: input.kind,
      dialect: input.dialect,
      objects: objects.filter((c) => c.action !== 'disable'),
      references,
      deletes: [...disables.map(stage), ...deletes.map((c) => (c.action === 'delete' ? stage(c) : c))],
      deletionThresholdExceeded,
    };
    return { plan, exists, deferred };
  }

  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    cycleId: input.cycleId,
    kind: input.kind,
    dialect: input.dialect,
    objects,
    references,
    deletes,
    deletionThresholdExceeded,
  };
  return { plan, exists, deferred };
}

/** The references of deferred objects, once every batch is planned: `willExist` is the whole cycle's. */
export function planDeferredReferences(
  deferred: readonly DeferredReferences[],
  willExist: ReadonlySet<string>,
  input: DiffInput,
): ReferenceChange[] {
  return deferred.flatMap(({ source, current }) => planReferences(source, current, willExist, input));
}

function referencesPending(source: SourceState, pending: ReadonlySet<string>): boolean {
  if (source.objectType === 'User') {
    const m = source.mapped.managerSourceId;
    return typeof m === 'string' && pending.has(m);
  }
  return (source.mapped.memberSourceIds ?? []).some((id) => pending.has(id));
}

/** The target's current values: from a resource read in this cycle, or from what provsim last exported. */
export interface CurrentValues {
  targetId: string;
  get(path: AttributePath): unknown;
  resource: ScimResource | null;
}

function fromResource(targetId: string, resource: ScimResource): CurrentValues {
  return { targetId, resource, get: (p) => readAttributePath(resource, p) };
}

function fromExported(anchor: Anchor): CurrentValues {
  return { targetId: anchor.targetId, resource: null, get: (p) => anchor.exported[p.raw] ?? null };
}

interface ObjectPlan {
  change: ObjectChange | DeprovisionChange | null;
  isDeprovision: boolean;
  /** The object exists (or will) in the target, active, after this phase. */
  exists: boolean;
  current: CurrentValues | null;
}

function ref(item: WorkItem): ObjectRef {
  return {
    objectType: item.source?.objectType ?? item.anchor!.objectType,
    sourceId: item.sourceId,
    displayName: item.source?.displayName ?? item.anchor!.displayName,
  };
}

function planObject(item: WorkItem, input: DiffInput): ObjectPlan {
  const { source, anchor } = item;
  const object = ref(item);
  const mapping = object.objectType === 'User' ? input.job.users : input.job.groups;
  const observation = input.observations.get(item.sourceId);
  const none: ObjectPlan = { change: null, isDeprovision: false, exists: false, current: null };

  // Hard-deleted in Entra.
  if (!source) {
    const a = anchor!;
    if (a.objectType === 'User' && a.status === 'disabled-out-of-scope') {
      return {
        ...none,
        isDeprovision: true,
        change: {
          action: 'skip',
          id: `${object.sourceId}/skip`,
          object,
          targetId: a.targetId,
          skipReason: 'NotManaged',
          link: null,
          forget: true,
          reason: 'hard-deleted in Entra after it was disabled by unassignment or scoping: Entra no longer manages it and sends no DELETE',
        },
      };
    }
    if (!mapping.actions.has('delete')) {
      return {
        ...none,
        isDeprovision: true,
        change: {
          action: 'skip',
          id: `${object.sourceId}/skip`,
          object,
          targetId: a.targetId,
          skipReason: 'DeleteActionDisabled',
          link: null,
          forget: true,
          reason: 'hard-deleted in Entra, but the Delete target object action is switched off',
        },
      };
    }
    return planDelete(object, a, observation, 'hard-deleted in Entra');
  }

  // Never provisioned and not to be: skipped at scoping, before any mapping row is evaluated (Entra's step
  // order: import, scoping, then matching and export). An expression that would fail for it is not reported.
  if (!source.provision && !anchor) {
    const skipReason =
      source.cause === 'unassigned' ? 'NotEffectivelyEntitled' : source.cause === 'out-of-scope' ? 'ScopeFilterNotSatisfied' : 'NotActive';
    const detail =
      source.cause === 'disabled' || source.cause === 'soft-deleted'
        ? `${source.causeDetail}; a user that was never provisioned is not created while inactive`
        : (source.causeDetail ?? '');
    return {
      ...none,
      change: {
        action: 'skip',
        id: `${object.sourceId}/skip`,
        object,
        targetId: null,
        skipReason,
        link: null,
        forget: false,
        reason: detail,
      },
    };
  }

  if (source.mapped.failures.length > 0) {
    const f = source.mapped.failures[0]!;
    return {
      ...none,
      change: failChange(
        object,
        anchor?.targetId ?? null,
        'ExpressionEvaluationFailed',
        `mapping to ${f.target} failed: ${f.code}: ${f.message}`,
      ),
    };
  }

  // No longer to be provisioned (linked).
  if (!source.provision && anchor) {
    if (object.objectType === 'Group') {
      if (!mapping.actions.has('delete')) {
        return {
          ...none,
          isDeprovision: true,
          change: {
            action: 'skip',
            id: `${object.sourceId}/skip`,
            object,
            targetId: anchor.targetId,
            skipReason: 'DeleteActionDisabled',
            link: null,
            forget: true,
            reason: `${source.causeDetail}; the Delete target object action is switched off`,
          },
        };
      }
      return planDelete(object, anchor, observation, `${source.causeDetail}: groups have no soft delete, Entra deletes them`);
    }
    return { ...none, change: planDisable(item, source, anchor, observation, mapping, input) };
  }

  // To be provisioned: match, link, create or update.
  let current: CurrentValues | null = null;
  let link = false;
  if (anchor) {
    if (observation?.kind === 'read') current = fromResource(anchor.targetId, observation.resource);
    else if (observation?.kind === 'anchor-missing') {
      return {
        ...none,
        change: failChange(
          object,
          anchor.targetId,
          'InvalidAnchor',
          `the target no longer has ${object.objectType} ${anchor.targetId} (404 on GET by id), which provsim created or matched earlier; if it was deleted in the app on purpose, run \`provsim restart --scope full\` to match or create it again`,
        ),
      };
    } else if (observation?.kind === 'failed')
      return { ...none, change: failFromObservation(object, observation.failure, anchor.targetId) };
    else current = fromExported(anchor);
  } else {
    switch (observation?.kind) {
      case 'matched':
        current = fromResource(observation.targetId, observation.resource);
        link = true;
        break;
      case 'not-found':
        if (!mapping.actions.has('create')) {
          return {
            ...none,
            change: {
              action: 'skip',
              id: `${object.sourceId}/skip`,
              object,
              targetId: null,
              skipReason: 'CreateActionDisabled',
              link: null,
              forget: false,
              reason: 'no matching target object, and the Create target object action is switched off',
            },
          };
        }
        return {
          change: planCreate(object, source, mapping, input, observation.queried),
          isDeprovision: false,
          exists: true,
          current: null,
        };
      case 'duplicate':
        return {
          ...none,
          change: failChange(
            object,
            null,
            'DuplicateTargetEntries',
            `${observation.count} target objects have ${observation.attribute} eq "${observation.value}"; matching attributes must be unique in the target`,
          ),
        };
      case 'no-match-value':
        return {
          ...none,
          change: {
            action: 'skip',
            id: `${object.sourceId}/skip`,
            object,
            targetId: null,
            skipReason: 'ImportSkipped',
            link: null,
            forget: false,
            reason: `none of the matching attributes (${mapping.matching.map((m) => m.mapping.target).join(', ')}) has a value for this object`,
          },
        };
      case 'failed':
        return { ...none, change: failFromObservation(object, observation.failure, null) };
      default:
        return none;
    }
  }

  const exists = true;
  if (!mapping.actions.has('update')) {
    return {
      change: {
        action: 'skip',
        id: `${object.sourceId}/skip`,
        object,
        targetId: current.targetId,
        skipReason: 'UpdateActionDisabled',
        link: link
          ? { targetId: current.targetId, exported: exportedFrom(current, source.mapped.values, false, mapping), anchorStatus: 'active' }
          : null,
        forget: false,
        reason: 'the Update target object action is switched off',
      },
      isDeprovision: false,
      exists,
      current,
    };
  }
  const changes = attributeChanges(source.mapped.values, current, false, source.view.appRoleAssignments);
  const exported = exportedFrom(current, source.mapped.values, true, mapping);
  const wasDisabled = anchor !== null && anchor.status !== 'active';
  if (changes.changes.length === 0) {
    return {
      change: {
        action: 'skip',
        id: `${object.sourceId}/skip`,
        object,
        targetId: current.targetId,
        skipReason: 'RedundantExport',
        link: link || wasDisabled ? { targetId: current.targetId, exported, anchorStatus: 'active' } : null,
        forget: false,
        reason: link
          ? `matched on ${observationText(observation)}; the state of the object in both systems already matches`
          : 'the state of the object in both the source and target systems already matches',
      },
      isDeprovision: false,
      exists,
      current,
    };
  }
  return {
    change: {
      action: 'update',
      id: `${object.sourceId}/update`,
      object,
      targetId: current.targetId,
      operations: attributeOperations(input.dialect, changes.changes, input.quirks),
      modified: changes.modified,
      link,
      exported,
      anchorStatus: 'active',
      reason: link
        ? `matched on ${observationText(observation)}; ${changes.changes.length} attribute(s) differ`
        : wasDisabled
          ? 'back in scope and active: re-enabled'
          : `${changes.changes.length} attribute(s) changed`,
    },
    isDeprovision: false,
    exists,
    current,
  };
}

function observationText(o: Observation | undefined): string {
  return o?.kind === 'matched' ? `${o.attribute} eq "${o.value}"` : 'the matching attribute';
}

function failFromObservation(object: ObjectRef, failure: RequestFailure, targetId: string | null): ObjectChange {
  return { ...failChange(object, targetId, failure.code, failure.message), details: failure.details };
}

function failChange(object: ObjectRef, targetId: string | null, errorCode: string, message: string): FailChange {
  return { action: 'fail', id: `${object.sourceId}/fail`, object, targetId, errorCode, message, reason: message };
}

/**
 * A DELETE, after the read that precedes it (quirk readBeforeWrite). The read found nothing (404): the
 * object is already gone from the target, so nothing is sent and the link is dropped (provsim's choice;
 * Entra's log for this case is not published). The read failed: the object fails and is retried, its link
 * kept. No read (quirk off): the DELETE is planned from state alone.
 */
function planDelete(object: ObjectRef, anchor: Anchor, observation: Observation | undefined, reason: string): ObjectPlan {
  const none: ObjectPlan = { change: null, isDeprovision: false, exists: false, current: null };
  if (observation?.kind === 'anchor-missing') {
    return {
      ...none,
      isDeprovision: true,
      change: {
        action: 'skip',
        id: `${object.sourceId}/skip`,
        object,
        targetId: anchor.targetId,
        skipReason: 'TargetObjectMissing',
        link: null,
        forget: true,
        reason: `${reason}, but the target no longer has ${object.objectType} ${anchor.targetId} (404 on the read before the DELETE): nothing to delete`,
      },
    };
  }
  if (observation?.kind === 'failed') return { ...none, change: failFromObservation(object, observation.failure, anchor.targetId) };
  return {
    ...none,
    isDeprovision: true,
    change: { action: 'delete', id: `${object.sourceId}/delete`, object, targetId: anchor.targetId, reason },
  };
}

function planCreate(
  object: ObjectRef,
  source: SourceState,
  mapping: CompiledObjectMapping,
  input: DiffInput,
  queried: Array<{ attribute: string; value: string }>,
): ObjectChange {
  const entries: BodyEntry[] = [];
  const exported: Record<string, unknown> = {};
  const modified: ModifiedProperty[] = [];
  for (const v of source.mapped.values) {
    const row = v.attribute.mapping;
    const value = v.value ?? row.default;
    if (value === null) continue;
    const wire = typeof value === 'string' ? value : roleEntries(value);
    entries.push({ path: v.attribute.path, value: wire });
    exported[v.attribute.path.raw] = typeof value === 'string' ? value : wire;
    modified.push({ displayName: row.target, oldValue: null, newValue: v.redacted ? REDACTED : display(value) });
  }
  return {
    action: 'create',
    id: `${object.sourceId}/create`,
    object,
    body: buildCreateBody(mapping.objectType, entries, input.quirks),
    exported,
    modified,
    reason: `no target object matched (${queried.map((q) => `${q.attribute} eq "${q.value}"`).join(', ')}): create`,
  };
}

function planDisable(
  item: WorkItem,
  source: SourceState,
  anchor: Anchor,
  observation: Observation | undefined,
  mapping: CompiledObjectMapping,
  input: DiffInput,
): ObjectChange {
  const object = ref(item);
  const outOfScope = source.cause === 'unassigned' || source.cause === 'out-of-scope';
  const skip = (skipReason: string, reason: string): ObjectChange => ({
    action: 'skip',
    id: `${object.sourceId}/skip`,
    object,
    targetId: anchor.targetId,
    skipReason,
    link: null,
    forget: false,
    reason,
  });
  if (outOfScope && input.job.job.settings.skipOutOfScopeDeletions) {
    return skip('SkipOutOfScopeDeletions', `${source.causeDetail}; skipOutOfScopeDeletions is on, so the account is left as it is`);
  }
  if (!mapping.actions.has('update'))
    return skip('UpdateActionDisabled', `${source.causeDetail}; the Update target object action is switched off, so no disable is sent`);
  if (observation?.kind === 'anchor-missing') {
    return failChange(
      object,
      anchor.targetId,
      'InvalidAnchor',
      `${source.causeDetail}, but the target no longer has User ${anchor.targetId} (404 on the read before the disable); nothing to disable. Run \`provsim restart --scope full\` to forget the link`,
    );
  }
  if (observation?.kind === 'failed') return failFromObservation(object, observation.failure, anchor.targetId);
  const current = observation?.kind === 'read' ? fromResource(anchor.targetId, observation.resource) : fromExported(anchor);
  // Only the attributes that follow IsSoftDeleted flow on a deprovisioning update (Entra's EntryExportUpdateSoftDelete).
  const softDeleteValues = source.mapped.values.filter((v) => dependsOnSoftDelete(v.attribute));
  if (softDeleteValues.length === 0)
    return skip('NoSoftDeleteMapping', `${source.causeDetail}; no attribute is mapped from IsSoftDeleted, so Entra sends no disable`);
  const changes = attributeChanges(softDeleteValues, current, false);
  const anchorStatus: Anchor['status'] = outOfScope ? 'disabled-out-of-scope' : 'disabled';
  if (changes.changes.length === 0) {
    return {
      action: 'skip',
      id: `${object.sourceId}/skip`,
      object,
      targetId: anchor.targetId,
      skipReason: 'RedundantExport',
      link: anchor.status !== anchorStatus ? { targetId: anchor.targetId, exported: anchor.exported, anchorStatus } : null,
      forget: false,
      reason: `${source.causeDetail}; the target account is already disabled`,
    };
  }
  return {
    action: 'disable',
    id: `${object.sourceId}/disable`,
    object,
    targetId: anchor.targetId,
    operations: attributeOperations(input.dialect, changes.changes, input.quirks),
    modified: changes.modified,
    link: false,
    exported: { ...anchor.exported, ...Object.fromEntries(changes.changes.map((c) => [c.path.raw, c.value])) },
    anchorStatus,
    reason: `${source.causeDetail}: disable`,
  };
}

function dependsOnSoftDelete(a: CompiledAttribute): boolean {
  const s = a.mapping.source;
  if (s.kind === 'direct') return s.attribute === 'IsSoftDeleted' || s.attribute === 'accountEnabled';
  if (s.kind === 'expression') return /\[(IsSoftDeleted|accountEnabled)\]/.test(s.text);
  return false;
}

function attributeChanges(
  values: readonly MappedAttribute[],
  current: CurrentValues,
  includeCreateOnly: boolean,
  assigned: readonly AppRole[] = [],
): { changes: AttributeChange[]; modified: ModifiedProperty[] } {
  const changes: AttributeChange[] = [];
  const modified: ModifiedProperty[] = [];
  for (const v of values) {
    const row = v.attribute.mapping;
    if (row.apply === 'on-create' && !includeCreateOnly) continue;
    if (v.value === null) continue; // Entra does not flow nulls outbound (spec §1.6).
    const before = current.get(v.attribute.path);
    if (typeof v.value === 'string') {
      if (sameValue(v.value, before, row.caseExact)) continue;
      const change: AttributeChange = {
        path: v.attribute.path,
        op: before === null || before === undefined ? 'add' : 'replace',
        value: v.value,
      };
      // SingleAppRoleAssignment into roles[primary eq "True"].value: the full role, for the legacy JSON-string shape.
      if (v.attribute.path.attribute.toLowerCase() === 'roles') {
        const role = assigned.find((r) => r.value === v.value);
        if (role) change.roles = [role];
      }
      changes.push(change);
    } else {
      const wanted = roleEntries(v.value);
      if (sameRoles(wanted, before)) continue;
      // AppRoleAssignmentsComplex only adds (never removes); the Assertive form replaces the whole list (spec §1.7).
      const have = new Set(Array.isArray(before) ? before.map((r) => String((r as { value?: unknown }).value ?? '').toLowerCase()) : []);
      const sent = v.value.assertive ? v.value.roles : v.value.roles.filter((r) => !have.has(r.value.toLowerCase()));
      if (sent.length === 0) continue;
      changes.push({
        path: { ...v.attribute.path, filter: null, subAttribute: null, raw: 'roles' },
        op: v.value.assertive ? 'replace' : 'add',
        value: roleEntries({ ...v.value, roles: sent }),
        roles: sent.map((r) => ({ id: r.id, value: r.value, displayName: r.displayName })),
      });
    }
    modified.push({
      displayName: row.target,
      oldValue: before === null || before === undefined ? null : display(before),
      newValue: v.redacted ? REDACTED : display(v.value),
    });
  }
  return { changes, modified };
}

/**
 * What the target holds after the planned writes succeed, by path: the mapped values, and the manager as
 * the target holds it now (a reference is written by its own PATCH, which updates this record when it is
 * sent; without it here, the next cycle would take the manager for unset and send it again).
 */
function exportedFrom(
  current: CurrentValues,
  values: readonly MappedAttribute[],
  withDesired: boolean,
  mapping: CompiledObjectMapping,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of values) {
    const before = current.get(v.attribute.path);
    const after =
      withDesired && v.value !== null && v.attribute.mapping.apply !== 'on-create'
        ? typeof v.value === 'string'
          ? v.value
          : roleEntries(v.value)
        : before;
    if (after !== null && after !== undefined) out[v.attribute.path.raw] = after;
  }
  const manager = managerAttribute(mapping);
  if (manager) {
    const held = current.get(manager.path);
    if (typeof held === 'string') out[manager.path.raw] = held;
  }
  return out;
}

function managerAttribute(mapping: CompiledObjectMapping): CompiledAttribute | undefined {
  return mapping.objectType === 'User' ? mapping.attributes.find((a) => a.reference === 'manager') : undefined;
}

function sameValue(desired: string, current: unknown, caseExact: boolean): boolean {
  if (typeof current !== 'string') return false;
  return caseExact ? desired === current : desired.toLowerCase() === current.toLowerCase();
}

function roleEntries(list: RoleList): RoleEntry[] {
  return list.roles.map((r) => ({ primary: r.primary, type: r.type, display: r.displayName, value: r.value }));
}

function sameRoles(wanted: RoleEntry[], current: unknown): boolean {
  if (!Array.isArray(current)) return wanted.length === 0;
  const have = new Set(current.map((r) => String((r as { value?: unknown }).value ?? '').toLowerCase()));
  return wanted.length === have.size && wanted.every((r) => have.has(r.value.toLowerCase()));
}

function display(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && (v as RoleList).kind === 'roles') return (v as RoleList).roles.map((r) => r.value).join(', ');
  return JSON.stringify(v);
}

function planReferences(
  source: SourceState,
  current: CurrentValues | null,
  willExist: ReadonlySet<string>,
  input: DiffInput,
): ReferenceChange[] {
  const out: ReferenceChange[] = [];
  const object: ObjectRef = { objectType: source.objectType, sourceId: source.id, displayName: source.displayName };
  const mapping = source.objectType === 'User' ? input.job.users : input.job.groups;
  const nameOf = (id: string): string => input.sources.get(id)?.displayName ?? input.anchors.get(id)?.displayName ?? id;

  if (source.objectType === 'User' && source.mapped.managerSourceId !== undefined) {
    const managerAttr = mapping.attributes.find((a) => a.reference === 'manager')!;
    const previous = current ? current.get(managerAttr.path) : null;
    const prev = typeof previous === 'string' ? previous : null;
    const managerId = source.mapped.managerSourceId;
    if (managerId === null) {
      if (prev !== null)
        out.push({
          action: 'set-manager',
          id: `${source.id}/manager`,
          object,
          path: managerAttr.path.raw,
          op: 'replace',
          managerSourceId: null,
          managerDisplayName: null,
          managerProvisioned: true,
          previous: prev,
          reason: 'the manager was removed in Entra',
        });
    } else if (willExist.has(managerId)) {
      const known = knownTargetId(managerId, input);
      if (known === null || prev === null || known.toLowerCase() !== prev.toLowerCase()) {
        out.push({
          action: 'set-manager',
          id: `${source.id}/manager`,
          object,
          path: managerAttr.path.raw,
          op: prev === null ? 'add' : 'replace',
          managerSourceId: managerId,
          managerDisplayName: nameOf(managerId),
          managerProvisioned: true,
          previous: prev,
          reason: prev === null ? 'set the manager' : 'the manager changed',
        });
      }
    } else {
      // Entra's known behaviour: a manager that is not provisioned is left out, and the log says so.
      out.push({
        action: 'set-manager',
        id: `${source.id}/manager`,
        object,
        path: managerAttr.path.raw,
        op: prev === null ? 'add' : 'replace',
        managerSourceId: managerId,
        managerDisplayName: nameOf(managerId),
        managerProvisioned: false,
        previous: prev,
        reason: `the manager ${nameOf(managerId)} is not provisioned in the target`,
      });
    }
  }

  if (source.objectType === 'Group' && source.mapped.memberSourceIds !== undefined) {
    const desired = source.mapped.memberSourceIds.filter((id) => willExist.has(id) && id !== source.id);
    const stored = input.memberships.get(source.id) ?? new Set<string>();
    const add = desired.filter((id) => !stored.has(id));
    const desiredSet = new Set(desired);
    const remove = [...stored].filter((id) => !desiredSet.has(id) && input.anchors.has(id));
    if (add.length > 0)
      out.push({
        action: 'add-members',
        id: `${source.id}/add-members`,
        object,
        memberSourceIds: add,
        memberDisplayNames: add.map(nameOf),
        reason: `${add.length} member(s) to add`,
      });
    if (remove.length > 0)
      out.push({
        action: 'remove-members',
        id: `${source.id}/remove-members`,
        object,
        memberSourceIds: remove,
        memberDisplayNames: remove.map(nameOf),
        reason: `${remove.length} member(s) to remove`,
      });
  }
  return out;
}

/**
 * The target id of an object this cycle can already name: linked before, matched in this cycle's reads, or
 * linked by an earlier batch. Null for an object created in this cycle (its id is known once the POST
 * answers), so a manager who is being created is always sent.
 */
function knownTargetId(sourceId: string, input: DiffInput): string | null {
  const linked = input.anchors.get(sourceId)?.targetId;
  if (linked !== undefined) return linked;
  const observed = input.observations.get(sourceId);
  if (observed?.kind === 'matched') return observed.targetId;
  return input.linkedEarlier?.get(sourceId) ?? null;
}
