/**
 * The store reads of a cycle, done up front so that the steps after them (select-work, diff, settle) take
 * plain values and read nothing themselves. I/O: the only engine step besides apply and commit that reads the
 * store.
 *
 * - `readCycleRecords`, once per cycle: what decides the cycle's kind and work (escrows, flags, the last
 *   completed cycle); once the desired objects are known, `readWatermarks`: every watermark, compared with
 *   them as it is read, and `readTargetIds`: every link's target id (two id columns, no exported values).
 * - `readLinks`: the full links (exported values, status) of the objects a cycle works on.
 * - `readMemberships`: the members provsim has added to the groups of one batch, read just before the batch
 *   is planned (an earlier batch's PATCHes may have changed them; its own have not been sent yet).
 */
import type { CycleRecord, Escrow, Quarantine } from '../model/records.js';
import type { Anchor } from '../model/records.js';
import type { StateStore } from '../store/store.js';
import type { DesiredLookup } from './desired-index.js';
import type { TargetIdMap } from './linked-targets.js';
import { StoredWatermarks } from './stored-watermarks.js';

export interface CycleRecords {
  lastCompleted: CycleRecord | null;
  /** The hash of the mapping the last completed cycle ran with. */
  jobHash: string | null;
  /** One-shot flags set by `provsim restart` (Entra's restart scopes). */
  flags: { initial: boolean; forceDeletes: boolean };
  quarantine: Quarantine | null;
  escrows: ReadonlyMap<string, Escrow>;
}

export function readCycleRecords(store: StateStore): CycleRecords {
  return {
    lastCompleted: store.lastCompletedCycle(),
    jobHash: store.jobHash(),
    flags: { initial: store.flag('initial'), forceDeletes: store.flag('force-deletes') },
    quarantine: store.quarantine(),
    escrows: store.escrows(),
  };
}

/**
 * The stored watermarks, compared with the cycle's desired objects row by row (no map of them is kept:
 * stored-watermarks.ts).
 */
export function readWatermarks(
  store: StateStore,
  desired: DesiredLookup<{ readonly position: number; readonly hash: string }>,
): StoredWatermarks {
  return new StoredWatermarks((visit) => store.forEachWatermark(visit), desired);
}

/**
 * Every link's target id by source id, as the cycle starts, into `into` (the cycle's own, which it then
 * keeps current as it links), row by row. Read once the desired objects are known.
 */
export function readTargetIds<T extends TargetIdMap>(store: StateStore, into: T): T {
  store.forEachTargetId((sourceId, targetId) => into.set(sourceId, targetId));
  return into;
}

/**
 * The links of `sourceIds` (ids without a link are left out). When they are a large share of all links
 * (an initial cycle) the table is read in one pass instead of a lookup per id.
 */
export function readLinks(store: StateStore, sourceIds: readonly string[], linkCount: number): Map<string, Anchor> {
  if (sourceIds.length === 0) return new Map();
  if (sourceIds.length * 4 >= linkCount) {
    const wanted = new Set(sourceIds);
    const all = store.links();
    for (const id of all.keys()) if (!wanted.has(id)) all.delete(id);
    return all;
  }
  return store.links(sourceIds);
}

export function readMemberships(store: StateStore, groupIds: Iterable<string>): Map<string, Set<string>> {
  return store.memberships(groupIds);
}
