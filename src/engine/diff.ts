/**
 * diff(desired, observed, records) → Plan. PURE: no I/O, no clock, no logging (spec §5.1–5.6). Everything it
 * reads is in its input, as plain values read before it runs (engine/read-records.ts, engine/observe.ts).
 *
 * Per object: match result → create / link+update / skip (RedundantExport); deprovisioning by Entra's
 * table (§5.5): unassigned/out of scope/disabled/soft-deleted → PATCH active false (unless
 * skipOutOfScopeDeletions for the first two), hard-deleted → DELETE unless the user was already disabled
 * by unassignment, groups → DELETE. References (manager, members: plan-references.ts) are planned by source
 * id and resolved to target ids when applied, since their objects may be created in the same cycle.
 */
import type { CompiledJob, CompiledObjectMapping } from '../mapping/compile.js';
import type { Anchor, CycleKind, ModifiedProperty } from '../model/records.js';
import { buildCreateBody, type BodyEntry } from '../scim/build-resource.js';
import { attributeOperations } from '../scim/dialect.js';
import type { Quirks } from '../scim/quirks.js';
import type { DialectName } from '../scim/types.js';
import {
  attributeChanges,
  dependsOnSoftDelete,
  display,
  exportedFrom,
  fromExported,
  fromResource,
  REDACTED,
  roleEntries,
  type CurrentValues,
} from './attribute-changes.js';
import type { DesiredObject } from './desired.js';
import type { Observation, RequestFailure } from './observation.js';
import {
  PLAN_FORMAT_VERSION,
  type DeleteChange,
  type DeprovisionChange,
  type FailChange,
  type ObjectChange,
  type ObjectRef,
  type Plan,
  type ReferenceChange,
  type SkipChange,
  type StagedDeleteChange,
  type UpdateChange,
} from './plan.js';
import type { IdSet } from './id-set.js';
import { planReferences, referencesPending, type ReferenceInputs } from './plan-references.js';
import { preventAccidentalDeletions } from './accidental-deletions.js';
import type { WorkItem } from './select-work.js';

export interface DiffInput extends ReferenceInputs {
  cycleId: string;
  kind: CycleKind;
  work: readonly WorkItem[];
  dialect: DialectName;
  /** Entra's ForceDeletes: let deletions through the accidental-deletion threshold. */
  allowDeletes: boolean;
  /** Request shapes where Entra's documentation is silent (scim/quirks.ts). */
  quirks: Quirks;
  /** Batched cycles: objects an earlier batch planned to exist; they can be referenced. */
  existing?: IdSet;
  /** Batched cycles: objects of later batches. An object that references one has its references deferred. */
  pending?: IdSet;
}

/** An object whose references wait for objects of later batches (see `diffBatch`). */
export interface DeferredReferences {
  source: DesiredObject;
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

export function diff(input: DiffInput): Plan {
  return diffBatch(input).plan;
}

/**
 * One batch of a cycle (a cycle with one batch: without `existing`/`pending`, the whole plan). Deprovisioning
 * (disables and deletes) must all be in one batch, since accidental-deletion prevention counts them together.
 */
export function diffBatch(input: DiffInput): BatchDiff {
  const objects: ObjectChange[] = [];
  const deletes: DeprovisionChange[] = [];
  const references: ReferenceChange[] = [];
  const planned: Array<{ source: DesiredObject; current: CurrentValues | null }> = [];
  const exists: string[] = [];
  const existsHere = new Set<string>();
  for (const item of input.work) {
    const result = planObject(item, input);
    if (result.deprovision) deletes.push(result.deprovision);
    else if (result.change) objects.push(result.change);
    if (result.exists && item.source) {
      existsHere.add(item.sourceId);
      exists.push(item.sourceId);
      planned.push({ source: item.source, current: result.current });
    }
  }

  /**
   * Objects that can be referenced (as manager or member) after the objects phase: linked objects still
   * present in Entra, whatever their active state (a disabled user stays a member and a manager, as its
   * target object still exists), plus objects matched or created in this cycle (an earlier batch's, or
   * this one's). A view over those sets, not a copy: a copy per batch made a batched cycle's time grow with
   * the square of the tenant (a million users: about 550 batches, each copying up to a million ids).
   */
  const willExist = willExistAfter(input, input.existing, existsHere);
  const deferred: DeferredReferences[] = [];
  for (const { source, current } of planned) {
    if (input.pending && referencesPending(source, input.pending)) deferred.push({ source, current });
    else references.push(...planReferences(source, current, willExist, input));
  }

  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    cycleId: input.cycleId,
    kind: input.kind,
    dialect: input.dialect,
    objects,
    references,
    deletes,
    deletionThresholdExceeded: false,
  };
  return {
    plan: preventAccidentalDeletions(plan, input.job.job.settings.accidentalDeletionThreshold, input.allowDeletes),
    exists,
    deferred,
  };
}

/**
 * The objects that can be referenced after the objects phase, as a view: objects linked in the target
 * (`targetIds`) that are still in Entra (`desired`), and the objects of `planned` sets (matched or created
 * in this cycle). Read it before apply changes `targetIds` (the diff is synchronous, so it does).
 */
export function willExistAfter(input: Pick<ReferenceInputs, 'targetIds' | 'desired'>, ...planned: ReadonlyArray<IdSet | undefined>): IdSet {
  const { targetIds, desired } = input;
  return {
    has: (id) => planned.some((s) => s?.has(id) === true) || (targetIds.has(id) && desired.has(id)),
  };
}

/** The references of deferred objects, once every batch is planned: `willExist` is the whole cycle's. */
export function planDeferredReferences(
  deferred: readonly DeferredReferences[],
  willExist: IdSet,
  input: ReferenceInputs,
): ReferenceChange[] {
  return deferred.flatMap(({ source, current }) => planReferences(source, current, willExist, input));
}

/**
 * One object's plan: its change (or none), whether the change belongs to the deprovisioning phase, whether
 * the object exists in the target after the objects phase, and its current values (for its references).
 */
interface ObjectPlan {
  change: ObjectChange | null;
  deprovision: DeprovisionChange | null;
  exists: boolean;
  current: CurrentValues | null;
}

const NOTHING: ObjectPlan = { change: null, deprovision: null, exists: false, current: null };
const objectPhase = (change: ObjectChange): ObjectPlan => ({ ...NOTHING, change });
const deprovisionPhase = (change: DeprovisionChange): ObjectPlan => ({ ...NOTHING, deprovision: change });

function ref(item: WorkItem): ObjectRef {
  return {
    objectType: item.source?.objectType ?? item.anchor!.objectType,
    sourceId: item.sourceId,
    displayName: item.source?.displayName ?? item.anchor!.displayName,
  };
}

/** A change that sends nothing, with Entra's skip reason; it may link a matched object or forget a link. */
function skipChange(
  object: ObjectRef,
  targetId: string | null,
  skipReason: string,
  reason: string,
  effects: { link?: SkipChange['link']; forget?: boolean } = {},
): SkipChange {
  return {
    action: 'skip',
    id: `${object.sourceId}/skip`,
    object,
    targetId,
    skipReason,
    link: effects.link ?? null,
    forget: effects.forget ?? false,
    reason,
  };
}

function planObject(item: WorkItem, input: DiffInput): ObjectPlan {
  const { source, anchor } = item;
  const object = ref(item);
  const mapping = object.objectType === 'User' ? input.job.users : input.job.groups;
  const observation = input.observations.get(item.sourceId);

  // Hard-deleted in Entra.
  if (!source) {
    const a = anchor!;
    if (a.objectType === 'User' && a.status === 'disabled-out-of-scope') {
      return deprovisionPhase(
        skipChange(
          object,
          a.targetId,
          'NotManaged',
          'hard-deleted in Entra after it was disabled by unassignment or scoping: Entra no longer manages it and sends no DELETE',
          { forget: true },
        ),
      );
    }
    if (!mapping.actions.has('delete')) {
      return deprovisionPhase(
        skipChange(
          object,
          a.targetId,
          'DeleteActionDisabled',
          'hard-deleted in Entra, but the Delete target object action is switched off',
          { forget: true },
        ),
      );
    }
    return planDelete(object, a, observation, 'hard-deleted in Entra');
  }

  if (source.scopeFailure) return objectPhase(failChange(object, anchor?.targetId ?? null, 'ScopingEvaluationFailed', source.scopeFailure));

  // Never provisioned and not to be: skipped at scoping, before any mapping row is evaluated (Entra's step
  // order: import, scoping, then matching and export). An expression that would fail for it is not reported.
  if (!source.provision && !anchor) {
    const skipReason =
      source.cause === 'unassigned' ? 'NotEffectivelyEntitled' : source.cause === 'out-of-scope' ? 'ScopeFilterNotSatisfied' : 'NotActive';
    const detail =
      source.cause === 'disabled' || source.cause === 'soft-deleted'
        ? `${source.causeDetail}; a user that was never provisioned is not created while inactive`
        : (source.causeDetail ?? '');
    return objectPhase(skipChange(object, null, skipReason, detail));
  }

  if (source.mapped.failures.length > 0) {
    const f = source.mapped.failures[0]!;
    return objectPhase(
      failChange(object, anchor?.targetId ?? null, 'ExpressionEvaluationFailed', `mapping to ${f.target} failed: ${f.code}: ${f.message}`),
    );
  }

  // No longer to be provisioned (linked).
  if (!source.provision && anchor) {
    if (object.objectType === 'Group') {
      if (!mapping.actions.has('delete')) {
        return deprovisionPhase(
          skipChange(
            object,
            anchor.targetId,
            'DeleteActionDisabled',
            `${source.causeDetail}; the Delete target object action is switched off`,
            { forget: true },
          ),
        );
      }
      return planDelete(object, anchor, observation, `${source.causeDetail}: groups have no soft delete, Entra deletes them`);
    }
    return objectPhase(planDisable(object, source, anchor, observation, mapping, input));
  }

  // To be provisioned: match, link, create or update.
  let current: CurrentValues;
  let link = false;
  if (anchor) {
    if (observation?.kind === 'read') current = fromResource(anchor.targetId, observation.resource);
    else if (observation?.kind === 'anchor-missing') {
      return objectPhase(
        failChange(
          object,
          anchor.targetId,
          'InvalidAnchor',
          `the target no longer has ${object.objectType} ${anchor.targetId} (404 on GET by id), which provsim created or matched earlier; if it was deleted in the app on purpose, run \`provsim restart --scope full\` to match or create it again`,
        ),
      );
    } else if (observation?.kind === 'failed') return objectPhase(failFromObservation(object, observation.failure, anchor.targetId));
    else current = fromExported(anchor);
  } else {
    switch (observation?.kind) {
      case 'matched':
        current = fromResource(observation.targetId, observation.resource);
        link = true;
        break;
      case 'not-found':
        if (!mapping.actions.has('create'))
          return objectPhase(
            skipChange(
              object,
              null,
              'CreateActionDisabled',
              'no matching target object, and the Create target object action is switched off',
            ),
          );
        return { ...objectPhase(planCreate(object, source, mapping, input, observation.queried)), exists: true };
      case 'duplicate':
        return objectPhase(
          failChange(
            object,
            null,
            'DuplicateTargetEntries',
            `${observation.count} target objects have ${observation.attribute} eq "${observation.value}"; matching attributes must be unique in the target`,
          ),
        );
      case 'no-match-value':
        return objectPhase(
          skipChange(
            object,
            null,
            'ImportSkipped',
            `none of the matching attributes (${mapping.matching.map((m) => m.mapping.target).join(', ')}) has a value for this object`,
          ),
        );
      case 'failed':
        return objectPhase(failFromObservation(object, observation.failure, null));
      default:
        // Not observed: the cycle stopped before this object was read. Nothing is planned for it.
        return NOTHING;
    }
  }

  const linked = { ...NOTHING, exists: true, current };
  if (!mapping.actions.has('update')) {
    const linkTo = link
      ? {
          targetId: current.targetId,
          exported: exportedFrom(current, source.mapped.values, false, mapping),
          anchorStatus: 'active' as const,
        }
      : null;
    return {
      ...linked,
      change: skipChange(object, current.targetId, 'UpdateActionDisabled', 'the Update target object action is switched off', {
        link: linkTo,
      }),
    };
  }
  const changes = attributeChanges(source.mapped.values, current, false, source.view.appRoleAssignments);
  const exported = exportedFrom(current, source.mapped.values, true, mapping);
  const wasDisabled = anchor !== null && anchor.status !== 'active';
  if (changes.changes.length === 0) {
    const reason = link
      ? `matched on ${observationText(observation)}; the state of the object in both systems already matches`
      : 'the state of the object in both the source and target systems already matches';
    return {
      ...linked,
      change: skipChange(object, current.targetId, 'RedundantExport', reason, {
        link: link || wasDisabled ? { targetId: current.targetId, exported, anchorStatus: 'active' } : null,
      }),
    };
  }
  return {
    ...linked,
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
  };
}

function observationText(o: Observation | undefined): string {
  return o?.kind === 'matched' ? `${o.attribute} eq "${o.value}"` : 'the matching attribute';
}

function failFromObservation(object: ObjectRef, failure: RequestFailure, targetId: string | null): FailChange {
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
  if (observation?.kind === 'anchor-missing') {
    return deprovisionPhase(
      skipChange(
        object,
        anchor.targetId,
        'TargetObjectMissing',
        `${reason}, but the target no longer has ${object.objectType} ${anchor.targetId} (404 on the read before the DELETE): nothing to delete`,
        { forget: true },
      ),
    );
  }
  if (observation?.kind === 'failed') return objectPhase(failFromObservation(object, observation.failure, anchor.targetId));
  return deprovisionPhase({ action: 'delete', id: `${object.sourceId}/delete`, object, targetId: anchor.targetId, reason });
}

function planCreate(
  object: ObjectRef,
  source: DesiredObject,
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
    exported[v.attribute.path.raw] = wire;
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

/** Entra's deprovisioning table for a linked user no longer to be provisioned (spec §5.5). */
function planDisable(
  object: ObjectRef,
  source: DesiredObject,
  anchor: Anchor,
  observation: Observation | undefined,
  mapping: CompiledObjectMapping,
  input: DiffInput,
): ObjectChange {
  const outOfScope = source.cause === 'unassigned' || source.cause === 'out-of-scope';
  const skip = (skipReason: string, reason: string, link: SkipChange['link'] = null): SkipChange =>
    skipChange(object, anchor.targetId, skipReason, reason, { link });
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
    return skip(
      'RedundantExport',
      `${source.causeDetail}; the target account is already disabled`,
      anchor.status !== anchorStatus ? { targetId: anchor.targetId, exported: anchor.exported, anchorStatus } : null,
    );
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
