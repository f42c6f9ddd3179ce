/**
 * Plan and apply a cycle's work in batches: observe → diff → apply → log, one batch at a time. A cycle whose
 * work fits in one batch (provision on demand, a dry run up to its whole-plan limit, most scheduled cycles)
 * is one batch and one plan, in the plan's own phase order: objects (creates, updates, disables) →
 * references → deletes.
 *
 * A cycle with more work than `oneBatchUpTo` (the batch size; for a dry run, the whole-plan limit) is split
 * into batches of `batchSize` so that memory stays bounded by the batch, not the tenant:
 * - Users come first, each manager before its reports (by depth in the source's manager tree), then groups
 *   (whose members are users). A reference to an object of a later batch (a manager loop, a group in a
 *   group) is deferred: that object's references are planned after the last object batch, against the
 *   whole cycle's set of objects that exist, exactly as a one-batch diff plans them. If the cycle stops
 *   first, those objects keep their old watermark, so the next cycle works on them again.
 * - Deprovisioning (disables and deletes) is one batch of its own, last, because accidental-deletion
 *   prevention counts the cycle's disables and deletes together. So a split cycle sends its disables after
 *   the references, where a one-batch cycle sends them among the other object changes (the requests are the
 *   same; only their order differs).
 * - The result keeps every outcome and entry of a one-batch cycle; a split cycle keeps only the failed
 *   entries (every entry is in the store: `provsim logs`).
 * - A split dry run plans the same batches in the same order and applies none: after each batch it links
 *   what apply would link (objects matched or updated; created objects have no target id until a POST
 *   answers), so the later batches are planned as the cycle would plan them if every write succeeded (a
 *   later batch is read before any write of the earlier ones). Each plan goes to `onPlan`.
 *
 * Log entries are written to the store as each batch finishes (one per object, references folded in; the
 * entries of an object with deferred references wait for them), so the log shows what was sent even if the
 * process dies before the cycle is committed. Server text in them (error bodies, URLs, values read back) may
 * echo the bearer token: every string of an entry is masked for `ctx.secrets` before it is stored, and the
 * result's entries are the stored ones. I/O: observe, the store's memberships, apply, the log.
 */
import type { Tenant } from '../model/directory.js';
import type { Anchor, LogEntry } from '../model/records.js';
import { FixtureChangedError } from '../shared/errors.js';
import { mayContainSecret, redactSecretsDeep } from '../shared/redact-secret.js';
import type { LogMask } from '../store/store.js';
import { apply } from './apply.js';
import { arrangeBatches } from './arrange-batches.js';
import type { EngineContext } from './context.js';
import { diffBatch, planDeferredReferences, willExistAfter, type DeferredReferences, type DiffInput } from './diff.js';
import { DesiredIdSet } from './id-set.js';
import { buildLogEntries, countEntries, sourceIdentifiers } from './log-entries.js';
import type { Observation } from './observation.js';
import { observe } from './observe.js';
import type { ChangeOutcome } from './outcome.js';
import { PLAN_FORMAT_VERSION, type Plan } from './plan.js';
import { plannedLinks } from './plan-requests.js';
import { readMemberships } from './read-records.js';
import { sourceIdsOf, type WorkItem } from './select-work.js';
import type { AppliedWork } from './settle.js';
import type { TargetIdMap } from './linked-targets.js';

/** What planning and applying a cycle's work returns: what settle reads, and what the result shows. */
export interface Applied extends AppliedWork {
  /** The plan of a one-batch cycle; null for a split one, or when the cycle stopped before its plan. */
  plan: Plan | null;
  /** Every outcome of a one-batch cycle; empty for a split one. */
  outcomes: ChangeOutcome[];
  /** Every entry of a one-batch cycle, or only the failed ones of a split one (all are in the store). */
  log: LogEntry[];
  touched: DesiredIdSet;
  notReached: Set<string>;
  staged: Set<string>;
  /** The reads of a one-batch cycle (explanations: provision on demand); null for a split one. */
  observations: Map<string, Observation> | null;
  /** How many batches the work was split into. */
  batches: number;
  /**
   * A fixture file that changed while the tenant was read back from it: the cycle stopped before the batch
   * that found it sent anything, as a stop does (null when none did).
   */
  fixtureChanged: FixtureChangedError | null;
}

export interface PlanAndApplyInput {
  /**
   * The cycle's work, handed over: a split cycle empties this list once the batches are arranged and lets
   * go of each batch when it is done (its objects' records stay with the cycle), so a million-object cycle
   * does not hold every work item to its end.
   */
  work: WorkItem[];
  /** What every batch's diff shares; `targetIds` is the cycle's map, which apply keeps current. */
  base: Omit<DiffInput, 'work' | 'observations' | 'memberships' | 'existing' | 'pending' | 'targetIds'>;
  targetIds: TargetIdMap;
  /** For the managers-first order of a split cycle. */
  tenant: Tenant;
  batchSize: number;
  /** Work up to this size is one batch and one plan. */
  oneBatchUpTo: number;
  /** Plan only: nothing is applied or logged. */
  dryRun: boolean;
  newId: () => string;
}

export async function planAndApply(input: PlanAndApplyInput, ctx: EngineContext): Promise<Applied> {
  const { base, targetIds } = input;
  const applied: Applied = {
    plan: null,
    outcomes: [],
    log: [],
    counts: {},
    entryCount: 0,
    failed: [],
    touched: new DesiredIdSet(base.desired),
    notReached: new Set(),
    staged: new Set(),
    deletionThresholdExceeded: false,
    observations: null,
    batches: 1,
    fixtureChanged: null,
  };
  const split = input.work.length > input.oneBatchUpTo;
  const { batches, deprovision } = split
    ? arrangeBatches(input.work, input.batchSize, input.tenant, base.desired)
    : { batches: [input.work], deprovision: [] };
  if (split) input.work.length = 0;
  const all = [...batches, ...(deprovision.length > 0 ? [deprovision] : [])];
  applied.batches = all.length;
  const single = all.length === 1;
  // Only a split cycle has objects of later batches, or earlier batches' objects to reference.
  const pending = single ? undefined : new DesiredIdSet(base.desired, sourceIdsOf(batches));
  const existing = single ? undefined : new DesiredIdSet(base.desired);
  const deferred: DeferredReferences[] = [];
  /** Outcomes of objects whose references are deferred: their log entry waits for them. */
  const held = new Map<string, ChangeOutcome[]>();

  const identify = sourceIdentifiers(input.tenant, base.desired);
  const secrets = ctx.secrets ?? [];
  // The store masks an entry only when its stored text may hold a secret (most hold none).
  const mask: LogMask | undefined =
    secrets.length > 0
      ? { mayHold: (text) => mayContainSecret(text, secrets), redact: (entry) => redactSecretsDeep(entry, secrets) }
      : undefined;
  const log = (outcomes: readonly ChangeOutcome[]): void => {
    const built = buildLogEntries(base.cycleId, ctx.clock.now().toISOString(), outcomes, input.newId, identify);
    const entries = ctx.store.appendLog(built, mask);
    for (const [k, n] of Object.entries(countEntries(entries))) applied.counts[k] = (applied.counts[k] ?? 0) + n;
    applied.entryCount += entries.length;
    for (const e of entries) {
      if (single || e.status === 'Failure') applied.log.push(e);
      if (e.status === 'Failure')
        applied.failed.push({ sourceId: e.sourceIdentity.id, objectType: e.sourceIdentity.type, errorCode: e.errorCode ?? 'Unknown' });
    }
  };
  const record = (outcomes: readonly ChangeOutcome[]): void => {
    const now: ChangeOutcome[] = [];
    for (const o of outcomes) {
      const id = o.change.object.sourceId;
      applied.touched.add(id);
      if (o.failure?.code === 'Interrupted') applied.notReached.add(id);
      if (single) applied.outcomes.push(o);
      const waiting = held.get(id);
      if (waiting) waiting.push(o);
      else now.push(o);
    }
    log(now);
  };

  /** A batch that found a fixture file changed did not start: the cycle stops there (false). */
  const fixtureChanged = (error: unknown): false => {
    if (!(error instanceof FixtureChangedError)) throw error;
    applied.fixtureChanged = error;
    return false;
  };

  /** Plans and applies one batch; false when the cycle stopped. */
  const runBatch = async (batch: readonly WorkItem[], index: number, count: number): Promise<boolean> => {
    for (const w of batch) pending?.delete(w.sourceId);
    // A large tenant's users are read back from their files (source/json/line-user.ts): the batch reads them
    // all before its first request, so a file changed meanwhile stops the cycle between batches.
    for (const w of batch) void w.source?.view;
    ctx.hooks.onPhase?.({ phase: 'observe', objects: batch.length, ...(single ? {} : { batch: { index, count } }) });
    const observations = await observe(batch, ctx);
    if (ctx.signal?.aborted) return false;
    const memberships = readMemberships(ctx.store, groupsOf(batch));
    const {
      plan,
      exists,
      deferred: waiting,
    } = diffBatch({
      ...base,
      work: batch,
      observations,
      memberships,
      targetIds,
      ...(existing ? { existing } : {}),
      ...(pending ? { pending } : {}),
    });
    for (const id of exists) existing?.add(id);
    for (const d of waiting) {
      deferred.push(d);
      held.set(d.source.id, []);
    }
    if (plan.deletionThresholdExceeded) applied.deletionThresholdExceeded = true;
    for (const c of plan.deletes) if (c.action === 'staged-delete') applied.staged.add(c.object.sourceId);
    if (single) {
      applied.plan = plan;
      applied.observations = observations;
    }
    ctx.hooks.onPlan?.(plan, single ? undefined : { index, count });
    if (input.dryRun) {
      if (single) return false;
      linkPlanned(plan, targetIds);
      for (const w of batch) if (!held.has(w.sourceId)) w.source?.release();
      ctx.hooks.onBatchDone?.({ index, count });
      return !ctx.signal?.aborted;
    }
    record(await apply(plan, ctx, linksOf(batch), targetIds));
    // Deferred objects keep their mapped values (their references are planned later); the rest let go.
    if (!single) for (const w of batch) if (!held.has(w.sourceId)) w.source?.release();
    if (!single) ctx.hooks.onBatchDone?.({ index, count });
    return !ctx.signal?.aborted;
  };

  const runDeferred = async (index: number, count: number): Promise<void> => {
    // A view read while planning, before apply changes targetIds, as in a batch's diff.
    const willExist = willExistAfter({ targetIds, desired: base.desired }, existing);
    const memberships = readMemberships(
      ctx.store,
      deferred.filter((d) => d.source.objectType === 'Group').map((d) => d.source.id),
    );
    const references = planDeferredReferences(deferred, willExist, { ...base, memberships, targetIds, observations: new Map() });
    const plan: Plan = {
      formatVersion: PLAN_FORMAT_VERSION,
      cycleId: base.cycleId,
      kind: base.kind,
      dialect: base.dialect,
      objects: [],
      references,
      deletes: [],
      deletionThresholdExceeded: false,
    };
    ctx.hooks.onPlan?.(plan, { index, count });
    if (input.dryRun) return;
    const outcomes = await apply(plan, ctx, new Map(), targetIds);
    for (const o of outcomes) {
      applied.touched.add(o.change.object.sourceId);
      if (o.failure?.code === 'Interrupted') applied.notReached.add(o.change.object.sourceId);
      held.get(o.change.object.sourceId)?.push(o);
    }
  };

  // The deferred references run after the object batches and before the deprovisioning batch, as a
  // one-batch cycle sends references before deletes: a group's exported members must still include the
  // members the deprovisioning batch deletes or forgets when its removal is planned.
  let completed = true;
  let extra = 0;
  for (const [i, batch] of all.entries()) {
    if (i === batches.length && deferred.length > 0) {
      await runDeferred(batches.length + 1, all.length + 1);
      extra = 1;
    }
    if (ctx.signal?.aborted || !(await runBatch(batch, i + 1 + extra, all.length + extra).catch(fixtureChanged))) {
      completed = false;
      break;
    }
    // Done: its work items go (the deferred objects' references keep what they need).
    if (!single) {
      all[i] = [];
      if (i < batches.length) batches[i] = [];
    }
  }
  if (completed && deferred.length > 0 && all.length === batches.length) await runDeferred(batches.length + 1, all.length + 1);
  // Stopped before the deferred references were sent: those objects keep their old watermark, so the next
  // cycle works on them again (a one-batch cycle marks each unsent reference Interrupted likewise).
  if (!completed)
    for (const d of deferred) if (!held.get(d.source.id)?.some((o) => isReference(o.change.action))) applied.notReached.add(d.source.id);

  // Entries of deferred objects (with their references, when they were sent).
  const rest = [...held.values()].flat();
  if (rest.length > 0) log(rest);
  for (const d of deferred) d.source.release();
  return applied;
}

/**
 * A dry run's stand-in for apply's links (`plannedLinks`): the later batches are planned against them, as
 * the cycle's are against what apply linked. `targetIds` is the cycle's own (read from the store as it
 * started), which a dry run never stores.
 */
function linkPlanned(plan: Plan, targetIds: TargetIdMap): void {
  for (const [id, targetId] of plannedLinks(plan)) {
    if (targetId === null) targetIds.delete(id);
    else targetIds.set(id, targetId);
  }
}

function isReference(action: string): boolean {
  return action === 'set-manager' || action === 'add-members' || action === 'remove-members';
}

function groupsOf(batch: readonly WorkItem[]): string[] {
  return batch.filter((w) => w.source?.objectType === 'Group').map((w) => w.sourceId);
}

/** The batch's links, as a map apply may change. */
function linksOf(batch: readonly WorkItem[]): Map<string, Anchor> {
  const links = new Map<string, Anchor>();
  for (const w of batch) if (w.anchor) links.set(w.sourceId, w.anchor);
  return links;
}
