/**
 * Which cycle runs, which objects it looks at, and which of them it reads from the target first (spec
 * §5.1–5.2). Pure.
 * - initial: every source object, and every anchor whose source object is gone.
 * - incremental: objects whose watermark hash changed (or that have none), escrowed objects, and anchors
 *   whose source object is gone (hard deletes). Objects that did not change in Entra are not looked at, so
 *   an incremental cycle's cost follows what changed, and changes made directly in the target to objects
 *   that did not change in Entra go unnoticed, as in Entra.
 *
 * Reads: an unlinked object that is to be provisioned is matched by filter. A linked object is read by id
 * before it is written — in every cycle with quirk readBeforeWrite (Entra: "GET calls will always precede
 * other actions", evidence in scim/quirks.ts), else in initial cycles only — unless the outcome does not
 * depend on the target (a switched-off target object action, skipOutOfScopeDeletions, a user Entra no
 * longer manages): those are planned from state alone and send nothing.
 */
import type { CompiledJob } from '../mapping/compile.js';
import type { Anchor, CycleKind, Escrow } from '../model/records.js';
import type { DesiredObject } from './desired.js';
import { idsOf, type IdSet } from './id-set.js';
import type { TargetIdMap } from './linked-targets.js';
import type { WatermarkLookup } from './stored-watermarks.js';

export interface WorkItem {
  sourceId: string;
  source: DesiredObject | null;
  anchor: Anchor | null;
  /** `match`: filter GETs by matching attribute; `read`: GET by id; `none`: plan from state alone. */
  observe: 'match' | 'read' | 'none';
}

/** The source ids of work items, list after list, without a list of them (a cycle's work is a million items). */
export function* sourceIdsOf(lists: Iterable<readonly WorkItem[]>): Iterable<string> {
  for (const items of lists) for (const w of items) yield w.sourceId;
}

/** What decides whether a linked object is read: the quirk, and the job settings that decide without the target. */
export interface ReadRules {
  /** Read linked objects in incremental cycles too (quirk readBeforeWrite). */
  readBeforeWrite: boolean;
  job: Pick<CompiledJob, 'job' | 'users' | 'groups'>;
}

/**
 * A cycle is `initial` when no cycle has completed yet, the mapping changed since the last one (Entra
 * restarts on mapping changes) or a restart asked for it; otherwise `incremental`. Provision on demand is
 * its own kind.
 */
export function chooseCycleKind(
  records: { lastCompleted: unknown; jobHash: string | null; flags: { initial: boolean } },
  jobHash: string,
  options: { onDemand: boolean; forceInitial: boolean },
): CycleKind {
  if (options.onDemand) return 'on-demand';
  return options.forceInitial || records.flags.initial || !records.lastCompleted || records.jobHash !== jobHash ? 'initial' : 'incremental';
}

/**
 * The source ids whose links `selectWork` needs: every linked object the cycle may look at (all of them in
 * an initial cycle; in an incremental one the changed and escrowed objects and those gone from Entra; on
 * demand, the objects asked for). The caller reads exactly these links before calling `selectWork`.
 */
export function linksToRead(
  kind: CycleKind,
  desired: readonly DesiredObject[],
  linked: Pick<TargetIdMap, 'has' | 'keys'>,
  watermarks: WatermarkLookup,
  escrows: ReadonlyMap<string, Escrow>,
  only: ReadonlySet<string> | null,
  /** The ids of `desired` (the caller's map of them, when it has one). */
  present: IdSet = idsOf(desired),
): string[] {
  if (only) return [...only].filter((id) => linked.has(id));
  if (kind !== 'incremental') return [...linked.keys()];
  const ids: string[] = [];
  for (const d of desired) if (linked.has(d.id) && (!watermarks.unchanged(d.id) || escrows.has(d.id))) ids.push(d.id);
  for (const id of linked.keys()) if (!present.has(id)) ids.push(id);
  return ids;
}

/**
 * The work of a cycle. `anchors` must hold the link of every object the cycle may look at (`linksToRead`);
 * links of objects gone from Entra are taken as deprovisioning work.
 */
export function selectWork(
  kind: CycleKind,
  sources: readonly DesiredObject[],
  anchors: ReadonlyMap<string, Anchor>,
  watermarks: WatermarkLookup,
  escrows: ReadonlyMap<string, Escrow>,
  /** Object types the job provisions; anchors of other types (a switched-off group mapping) are left alone. */
  objectTypes: ReadonlySet<'User' | 'Group'>,
  rules: ReadRules,
  /** The ids of `sources` (the caller's map of them, when it has one). */
  present: IdSet = idsOf(sources),
): WorkItem[] {
  const items: WorkItem[] = [];
  const readLinked = kind !== 'incremental' || rules.readBeforeWrite;
  for (const source of sources) {
    if (kind === 'incremental' && watermarks.unchanged(source.id) && !escrows.has(source.id)) continue;
    const anchor = anchors.get(source.id) ?? null;
    let observe: WorkItem['observe'] = 'none';
    if (anchor) observe = readLinked && !decidedWithoutTarget(source, anchor, rules.job) ? 'read' : 'none';
    else if (source.provision) observe = 'match';
    items.push({ sourceId: source.id, source, anchor, observe });
  }
  for (const sourceId of anchors.keys()) {
    if (present.has(sourceId)) continue;
    const anchor = anchors.get(sourceId)!;
    if (!objectTypes.has(anchor.objectType)) continue;
    items.push({ sourceId, source: null, anchor, observe: readLinked && !decidedWithoutTarget(null, anchor, rules.job) ? 'read' : 'none' });
  }
  return items;
}

/**
 * True when the diff plans this linked object without looking at the target, so no read is sent: the
 * branches of `diff.planObject` that skip before comparing. Must agree with them.
 */
function decidedWithoutTarget(source: DesiredObject | null, anchor: Anchor, job: ReadRules['job']): boolean {
  const mapping = anchor.objectType === 'User' ? job.users : job.groups;
  // Hard-deleted in Entra: a user disabled by unassignment is no longer managed; no Delete action, no DELETE.
  if (!source) return (anchor.objectType === 'User' && anchor.status === 'disabled-out-of-scope') || !mapping.actions.has('delete');
  if (source.provision) return !mapping.actions.has('update');
  if (source.objectType === 'Group') return !mapping.actions.has('delete');
  const outOfScope = source.cause === 'unassigned' || source.cause === 'out-of-scope';
  return (outOfScope && job.job.settings.skipOutOfScopeDeletions) || !mapping.actions.has('update');
}
