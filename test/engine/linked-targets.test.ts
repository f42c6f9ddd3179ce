import { describe, expect, it } from 'vitest';
import { DesiredIndex } from '../../src/engine/desired-index.js';
import { LinkedTargets } from '../../src/engine/linked-targets.js';
import { seededRandom } from '../../src/shared/random.js';

/** Desired objects as a cycle has them: ids at positions 0..n-1. */
const desiredOf = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `id-${i}`, position: i }));

describe('LinkedTargets', () => {
  it('agrees with a Map over a random sequence of sets and deletes, desired and gone ids alike', () => {
    const desired = desiredOf(300);
    const targets = new LinkedTargets(desired, new DesiredIndex(desired));
    const map = new Map<string, string>();
    const r = seededRandom(5);
    const idOf = (): string => (r.next() < 0.7 ? `id-${Math.floor(r.next() * 300)}` : `gone-${Math.floor(r.next() * 60)}`);
    for (let step = 0; step < 20_000; step++) {
      const id = idOf();
      if (r.next() < 0.6) {
        const target = `t-${step}`;
        expect(targets.set(id, target)).toBe(targets);
        map.set(id, target);
      } else expect(targets.delete(id)).toBe(map.delete(id));
      const probe = idOf();
      expect([targets.get(probe), targets.has(probe), targets.size]).toEqual([map.get(probe), map.has(probe), map.size]);
    }
    // The desired objects' ids in their order, then the others' in the order they were set.
    const keys = [...targets.keys()];
    expect(new Set(keys)).toEqual(new Set(map.keys()));
    const desiredKeys = keys.filter((k) => k.startsWith('id-'));
    expect(desiredKeys).toEqual([...desiredKeys].sort((a, b) => Number(a.slice(3)) - Number(b.slice(3))));
    expect(keys.slice(desiredKeys.length)).toEqual([...map.keys()].filter((k) => k.startsWith('gone-')));
  });

  it('starts empty, and an empty target id still counts as a link', () => {
    const desired = desiredOf(3);
    const targets = new LinkedTargets(desired, new DesiredIndex(desired));
    expect([targets.size, [...targets.keys()], targets.get('id-0'), targets.has('id-0')]).toEqual([0, [], undefined, false]);
    targets.set('id-2', '').set('gone', 'g');
    expect([targets.size, targets.has('id-2'), targets.get('id-2'), [...targets.keys()]]).toEqual([2, true, '', ['id-2', 'gone']]);
  });
});
