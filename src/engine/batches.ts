/**
 * A large cycle in batches: observe → diff → apply → log, one batch of work items at a time, so memory
 * stays bounded by the batch, not the tenant (the performance issue's 100k-user run).
 *
 * Same decisions as the one-shot cycle, arranged so that each batch can be planned on its own:
 * - Users come first, each manager before its reports (by depth in the source's manager tree), then
 *   groups (whose members are users). A reference to an object of a later batch (a manager loop, a group
 *   in a group) is deferred: that object's references are planned after the last object batch, against
 *   the whole cycle's set of objects that exist, exactly as the one-shot diff plans them. If the cycle
 *   stops first, those objects keep their old watermark, so the next cycle works on them again.
 * - Deprovisioning (disables and deletes) is one batch of its own, last, because accidental-deletion
 *   prevention counts the cycle's disables and deletes together. A one-shot cycle sends its disables among
 *   the other object changes; a batched one sends them after the references (the requests are the same).
 * - Log entries are written per batch (one per object, references folded in as usual; the entries of an
 *   object with deferred references wait for them). The result keeps only the failed entries.
 * - Each batch's links stay in memory only while the batch runs; later references find a link through the
 *   shared target-id map, or in the store.
 */
import type { Tenant } from '../model/directory.js';
import type { ObjectType } from '../model/records.js';
import type { Anchor, LogEntry } from '../model/records.js';
import { apply, targetIdsOf } from './apply.js';
import type { EngineContext } from './context.js';
import { diffBatch, planDeferredReferences, type DeferredReferences, type DiffInput } from './diff.js';
import { buildLogEntries, countEntries } from './log-entries.js';
import { observe } from './observe.js';
import type { ChangeOutcome } from './outcome.js';
import { PLAN_FORMAT_VERSION, type Plan } from './plan.js';
import type { WorkItem } from './select-work.js';

/** What the end of a cycle needs from its apply phase, batched or not. */
export interface Applied {
  /** The whole plan (one-shot cycles); null for batched ones. */
  plan: Plan | null;
  outcomes: ChangeOutcome[];
  /** Every entry (one-shot), or only the failed ones (batched). */
  log: LogEntry[];
  /** True when the entries are already in the store. */
  logStored: boolean;
  counts: Record<string, number>;
  entryCount: number;
  failed: Array<{ sourceId: string; objectType: ObjectType; errorCode: string }>;
  /** Objects with at least one outcome. */
  touched: Set<string>;
  /** Objects with a change an interruption kept from being sent. */
  notReached: Set<string>;
  /** Objects held back by accidental-deletion prevention. */
  staged: Set<string>;
  deletionThresholdExceeded: boolean;
  /** When the last entry was made. */
  at: string;
}

export type DiffBase = Omit<DiffInput, 'work' | 'observations' | 'existing' | 'pending'>;

export async function applyInBatches(
  work: readonly WorkItem[],
  batchSize: number,
  base: DiffBase,
  ctx: EngineContext,
  tenant: Tenant,
  newId: () => string,
): Promise<Applied> {
  const applied: Applied = {
    plan: null,
    outcomes: [],
    log: [],
    logStored: true,
    counts: {},
    entryCount: 0,
    failed: [],
    touched: new Set(),
    notReached: new Set(),
    staged: new Set(),
    deletionThresholdExceeded: false,
    at: ctx.clock.now().toISOString(),
  };
  const { batches, deprovision } = arrange(work, batchSize, tenant);
  const pending = new Set<string>();
  for (const batch of batches) for (const w of batch) pending.add(w.sourceId);
  const existing = new Set<string>();
  const ids = targetIdsOf(base.anchors);
  const deferred: DeferredReferences[] = [];
  /** Outcomes of objects whose references are deferred: their log entry waits for them. */
  const held = new Map<string, ChangeOutcome[]>();

  const record = (outcomes: readonly ChangeOutcome[]): void => {
    const now: ChangeOutcome[] = [];
    for (const o of outcomes) {
      const id = o.change.object.sourceId;
      applied.touched.add(id);
      if (o.failure?.code === 'Interrupted') applied.notReached.add(id);
      const waiting = held.get(id);
      if (waiting) waiting.push(o);
      else now.push(o);
    }
    log(now);
  };
  const log = (outcomes: readonly ChangeOutcome[]): void => {
    applied.at = ctx.clock.now().toISOString();
    const entries = buildLogEntries(base.cycleId, applied.at, outcomes, newId);
    ctx.store.appendLog(entries);
    for (const [k, n] of Object.entries(countEntries(entries))) applied.counts[k] = (applied.counts[k] ?? 0) + n;
    applied.entryCount += entries.length;
    for (const e of entries) {
      if (e.status !== 'Failure') continue;
      applied.log.push(e);
      applied.failed.push({ sourceId: e.sourceIdentity.id, objectType: e.sourceIdentity.type, errorCode: e.errorCode ?? 'Unknown' });
    }
  };

  const all = [...batches, ...(deprovision.length > 0 ? [deprovision] : [])];
  const runBatch = async (batch: readonly WorkItem[], index: number, count: number): Promise<boolean> => {
    for (const w of batch) pending.delete(w.sourceId);
    const observations = await observe(batch, ctx);
    if (ctx.signal?.aborted) return false;
    const { plan, exists, deferred: waiting } = diffBatch({ ...base, work: batch, observations, existing, pending, linkedEarlier: ids });
    for (const id of exists) existing.add(id);
    for (const d of waiting) {
      deferred.push(d);
      held.set(d.source.id, []);
    }
    if (plan.deletionThresholdExceeded) applied.deletionThresholdExceeded = true;
    for (const c of plan.deletes) if (c.action === 'staged-delete') applied.staged.add(c.object.sourceId);
    ctx.hooks.onPlan?.(plan, { index, count });
    const batchAnchors = new Map<string, Anchor>();
    for (const w of batch) if (w.anchor) batchAnchors.set(w.sourceId, w.anchor);
    record(await apply(plan, ctx, batchAnchors, ids));
    // Deferred objects keep their source state (their references are planned later); the rest let go.
    for (const w of batch) if (!held.has(w.sourceId)) w.source?.release();
    ctx.hooks.onBatchDone?.({ index, count });
    return !ctx.signal?.aborted;
  };

  const runDeferred = async (): Promise<void> => {
    const willExist = new Set(existing);
    for (const id of base.anchors.keys()) if (base.sources.has(id)) willExist.add(id);
    const references = planDeferredReferences(deferred, willExist, { ...base, work: [], observations: new Map(), linkedEarlier: ids });
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
    ctx.hooks.onPlan?.(plan, { index: batches.length + 1, count: all.length + 1 });
    const outcomes = await apply(plan, ctx, new Map(), ids);
    for (const o of outcomes) {
      applied.touched.add(o.change.object.sourceId);
      if (o.failure?.code === 'Interrupted') applied.notReached.add(o.change.object.sourceId);
      held.get(o.change.object.sourceId)?.push(o);
    }
  };

  // The deferred references run after the object batches and before the deprovisioning batch, as a
  // one-shot cycle sends references before deletes: a group's exported members must still include the
  // members the deprovisioning batch deletes or forgets when its removal is planned.
  let completed = true;
  let extra = 0;
  for (const [i, batch] of all.entries()) {
    if (i === batches.length && deferred.length > 0) {
      await runDeferred();
      extra = 1;
    }
    if (ctx.signal?.aborted || !(await runBatch(batch, i + 1 + extra, all.length + extra))) {
      completed = false;
      break;
    }
  }
  if (completed && deferred.length > 0 && all.length === batches.length) await runDeferred();
  // Interrupted before the deferred references were sent: those objects keep their old watermark, so the
  // next cycle works on them again (a one-shot cycle marks each unsent reference Interrupted likewise).
  if (!completed)
    for (const d of deferred) if (!held.get(d.source.id)?.some((o) => isReference(o.change.action))) applied.notReached.add(d.source.id);

  // Entries of deferred objects (with their references, when they were sent).
  const rest = [...held.values()].flat();
  if (rest.length > 0) log(rest);
  for (const d of deferred) d.source.release();
  return applied;
}

function isReference(action: string): boolean {
  return action === 'set-manager' || action === 'add-members' || action === 'remove-members';
}

/**
 * Batches in order: users by depth in the manager tree (managers first), then groups; each at most
 * `size` items. Deprovisioning items (source gone, or no longer provisioned but linked) apart, in one batch.
 */
function arrange(work: readonly WorkItem[], size: number, tenant: Tenant): { batches: WorkItem[][]; deprovision: WorkItem[] } {
  const managerOf = new Map<string, string | null>();
  for (const u of tenant.users) managerOf.set(u.id, u.managerId);
  const depthOf = new Map<string, number>();
  const depth = (id: string): number => {
    const known = depthOf.get(id);
    if (known !== undefined) return known;
    // Walk up to a known depth or the root; a loop in the manager chain counts as a root.
    const chain: string[] = [];
    const seen = new Set<string>();
    let at: string | null | undefined = id;
    let base = 0;
    while (at) {
      const d = depthOf.get(at);
      if (d !== undefined) {
        base = d + 1;
        break;
      }
      if (seen.has(at)) break;
      seen.add(at);
      chain.push(at);
      at = managerOf.get(at) ?? null;
    }
    for (let i = chain.length - 1; i >= 0; i--) depthOf.set(chain[i]!, base + (chain.length - 1 - i));
    return depthOf.get(id)!;
  };

  const users: WorkItem[] = [];
  const groups: WorkItem[] = [];
  const deprovision: WorkItem[] = [];
  for (const w of work) {
    if (!w.source || (!w.source.provision && w.anchor)) deprovision.push(w);
    else if (w.source.objectType === 'User') users.push(w);
    else groups.push(w);
  }
  const userDepth = new Map(users.map((w) => [w.sourceId, depth(w.sourceId)]));
  // Stable: equal depths keep the source order.
  const ordered = users
    .map((w, i) => ({ w, i, d: userDepth.get(w.sourceId)! }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.w)
    .concat(groups);
  const batches: WorkItem[][] = [];
  for (let i = 0; i < ordered.length; i += size) batches.push(ordered.slice(i, i + size));
  return { batches, deprovision };
}
