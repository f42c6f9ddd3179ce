/**
 * The batches of a split cycle, in order (engine/plan-and-apply.ts): users by depth in the manager tree
 * (managers first; equal depths keep the work's order), then groups; each batch at most `size` items.
 * Deprovisioning items (source gone, or no longer provisioned but linked) apart, in one batch. Pure.
 *
 * Memory: it runs once per cycle over every user, when the cycle holds the most. Depths are kept in a typed
 * array by the user's place in `tenant.users` (tenant-places.ts), and users are ordered by a counting sort over depths: no map or
 * record per user, where three maps and a record each took about 150 MB at a million users.
 */
import type { SourceUser, Tenant } from '../model/directory.js';
import { tenantPlaces } from './tenant-places.js';
import type { WorkItem } from './select-work.js';
import type { DesiredLookup } from './desired-index.js';

export function arrangeBatches(
  work: readonly WorkItem[],
  size: number,
  tenant: Pick<Tenant, 'users' | 'groups'>,
  desired: DesiredLookup<{ readonly position: number }>,
): { batches: WorkItem[][]; deprovision: WorkItem[] } {
  const users: WorkItem[] = [];
  const groups: WorkItem[] = [];
  const deprovision: WorkItem[] = [];
  for (const w of work) {
    if (!w.source || (!w.source.provision && w.anchor)) deprovision.push(w);
    else if (w.source.objectType === 'User') users.push(w);
    else groups.push(w);
  }
  const places = tenantPlaces(tenant, desired);
  const placeOf = (id: string): number => {
    const place = places.placeOf(id);
    return place < tenant.users.length ? place : -1;
  };
  const placeOfUser = Int32Array.from(users, (w) => placeOf(w.sourceId));
  const depthOf = managerDepths(tenant.users, placeOf, placeOfUser);
  // Counting sort by depth: stable, so equal depths keep the work's order.
  const depths = new Int32Array(users.length);
  let deepest = 0;
  for (let i = 0; i < users.length; i++) {
    const place = placeOfUser[i]!;
    const d = place === -1 ? 0 : depthOf[place]!;
    depths[i] = d;
    if (d > deepest) deepest = d;
  }
  const starts = new Int32Array(deepest + 2);
  for (const d of depths) starts[d + 1]!++;
  for (let d = 1; d < starts.length; d++) starts[d]! += starts[d - 1]!;
  const ordered = new Array<WorkItem>(users.length + groups.length);
  for (let i = 0; i < users.length; i++) ordered[starts[depths[i]!]!++] = users[i]!;
  for (let i = 0; i < groups.length; i++) ordered[users.length + i] = groups[i]!;
  const batches: WorkItem[][] = [];
  for (let i = 0; i < ordered.length; i += size) batches.push(ordered.slice(i, i + size));
  return { batches, deprovision };
}

const UNKNOWN = -1;
const ON_CHAIN = -2;

/**
 * The depth in the manager tree of each user reached by walking up from the users at `starts` (places in
 * `users`, -1 for none), in that order, by place in `users`: 0 for a root, or for the user where a walk
 * meets its own path again (a manager loop: which user that is depends on where the walks start, so they
 * start from the work's users in the work's order); 1 for a user whose manager is not a user of the tenant.
 */
function managerDepths(users: readonly SourceUser[], placeOf: (id: string) => number, starts: Int32Array): Int32Array {
  const depth = new Int32Array(users.length).fill(UNKNOWN);
  const chain: number[] = [];
  for (const start of starts) {
    if (start === -1 || depth[start] !== UNKNOWN) continue;
    // Walk up to a user whose depth is known, a root, or back onto this walk (a loop: counted as a root).
    let base = 0;
    for (let at = start; ;) {
      const known = depth[at]!;
      if (known >= 0) {
        base = known + 1;
        break;
      }
      if (known === ON_CHAIN) break;
      depth[at] = ON_CHAIN;
      chain.push(at);
      const manager = users[at]!.managerId;
      const next = manager === null ? -1 : placeOf(manager);
      if (next === -1) {
        // A manager that is not a user of the tenant stands for a root of its own.
        base = manager === null ? 0 : 1;
        break;
      }
      at = next;
    }
    for (let i = chain.length - 1; i >= 0; i--) depth[chain[i]!] = base + (chain.length - 1 - i);
    chain.length = 0;
  }
  return depth;
}
