import { describe, expect, it } from 'vitest';
import { arrangeBatches } from '../../src/engine/arrange-batches.js';
import type { DesiredObject } from '../../src/engine/desired.js';
import type { WorkItem } from '../../src/engine/select-work.js';
import type { SourceGroup, SourceUser } from '../../src/model/directory.js';
import type { Anchor } from '../../src/model/records.js';
import { seededRandom } from '../../src/shared/random.js';

const user = (id: string, managerId: string | null = null): SourceUser =>
  ({ id, userPrincipalName: `${id}@x`, accountEnabled: true, softDeleted: false, managerId, attributes: {} }) as SourceUser;
const source = (id: string, position: number, objectType: 'User' | 'Group' = 'User', provision = true): DesiredObject =>
  ({ id, position, objectType, provision }) as DesiredObject;
const item = (s: DesiredObject | null, id = s!.id, anchor: Anchor | null = null): WorkItem => ({
  sourceId: id,
  source: s,
  anchor,
  observe: 'none',
});

/** A tenant's users, their desired objects (positions as evaluateSource gives them: users first) and work. */
function cycleOf(users: SourceUser[], groupIds: string[] = []) {
  const desired = new Map<string, DesiredObject>();
  users.forEach((u, i) => desired.set(u.id, source(u.id, i)));
  groupIds.forEach((g, i) => desired.set(g, source(g, users.length + i, 'Group')));
  return {
    tenant: { users, groups: groupIds.map((id) => ({ id }) as SourceGroup) },
    desired,
    work: [...desired.values()].map((d) => item(d)),
  };
}
const ids = (batches: WorkItem[][]) => batches.map((b) => b.map((w) => w.sourceId));

describe('arrangeBatches', () => {
  it('orders users managers first, keeps the order within a depth, puts groups last, each batch at most the size', () => {
    // ceo ← vp ← ann, bob; ceo ← cat; dan (no manager); eve's manager is not a user of the tenant.
    const { tenant, desired, work } = cycleOf(
      [user('ann', 'vp'), user('vp', 'ceo'), user('bob', 'vp'), user('ceo'), user('cat', 'ceo'), user('dan'), user('eve', 'nobody')],
      ['g1', 'g2'],
    );
    const { batches, deprovision } = arrangeBatches(work, 4, tenant, desired);
    // Depth 0: ceo, dan; 1: vp, cat, and eve (under a manager who is not a user), in the work's order; 2: ann, bob.
    expect(ids(batches)).toEqual([['ceo', 'dan', 'vp', 'cat'], ['eve', 'ann', 'bob', 'g1'], ['g2']]);
    expect(deprovision).toEqual([]);
  });

  it('counts a manager loop as a root where the walk meets it', () => {
    // a → b → c → a (a loop), d → a.
    const { tenant, desired, work } = cycleOf([user('a', 'b'), user('b', 'c'), user('c', 'a'), user('d', 'a')]);
    // From a: a, b, c are on the walk; c meets a again, so c is a root, b under it, a under b, d under a.
    expect(ids(arrangeBatches(work, 10, tenant, desired).batches)).toEqual([['c', 'b', 'a', 'd']]);
  });

  it('puts deprovisioning apart: sources gone from Entra, and linked objects no longer provisioned', () => {
    const { tenant, desired, work } = cycleOf([user('kept'), user('leaver')]);
    const anchor = { objectType: 'User', sourceId: 'x', targetId: 't', displayName: 'x', status: 'active', exported: {} } as Anchor;
    const leaver = source('leaver', 1, 'User', false);
    desired.set('leaver', leaver);
    const arranged = arrangeBatches([work[0]!, item(leaver, 'leaver', anchor), item(null, 'gone', anchor)], 10, tenant, desired);
    expect(ids(arranged.batches)).toEqual([['kept']]);
    expect(arranged.deprovision.map((w) => w.sourceId)).toEqual(['leaver', 'gone']);
  });

  it('finds users whose positions do not follow the tenant order', () => {
    const users = [user('a', 'b'), user('b')];
    const desired = new Map([
      ['a', source('a', 7)],
      ['b', source('b', 3)],
    ]);
    expect(ids(arrangeBatches([item(desired.get('a')!), item(desired.get('b')!)], 10, { users, groups: [] }, desired).batches)).toEqual([
      ['b', 'a'],
    ]);
  });

  it('gives the order the maps gave, on random manager forests with loops and work in any order', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 30; round++) {
      const n = 1 + Math.floor(random.next() * 300);
      const users = Array.from({ length: n }, (_, i) => user(`u${i}`));
      for (const u of users) {
        const r = random.next();
        u.managerId = r < 0.15 ? null : r < 0.2 ? 'outside' : `u${Math.floor(random.next() * n)}`;
      }
      const { tenant, desired, work } = cycleOf(users);
      // Some of the users (an incremental cycle's work), in another order than the tenant's: walks start from
      // them and reach users outside the work as managers.
      const shuffled = work.filter(() => random.next() < 0.7).sort(() => random.next() - 0.5);
      const size = 1 + Math.floor(random.next() * 50);
      expect(ids(arrangeBatches(shuffled, size, tenant, desired).batches)).toEqual(ids(byMaps(shuffled, size, users)));
    }
  });
});

/** The order as the cycle worked it out before, with maps: walks up from the work's users in order, a loop counting as a root, a stable sort. */
function byMaps(work: readonly WorkItem[], size: number, users: readonly SourceUser[]): WorkItem[][] {
  const managerOf = new Map(users.map((u) => [u.id, u.managerId]));
  const depthOf = new Map<string, number>();
  const depth = (id: string): number => {
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
  const userDepth = new Map(work.filter((w) => w.source?.objectType === 'User').map((w) => [w.sourceId, depth(w.sourceId)]));
  const ordered = work
    .map((w, i) => ({ w, i, d: userDepth.get(w.sourceId)! }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.w);
  const batches: WorkItem[][] = [];
  for (let i = 0; i < ordered.length; i += size) batches.push(ordered.slice(i, i + size));
  return batches;
}
