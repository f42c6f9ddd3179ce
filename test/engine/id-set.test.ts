import { describe, expect, it } from 'vitest';
import { DesiredIdSet } from '../../src/engine/id-set.js';
import { seededRandom } from '../../src/shared/random.js';

/** A map of desired objects by id, as a cycle has it: positions 0..n-1. */
const desiredOf = (n: number): Map<string, { position: number }> =>
  new Map(Array.from({ length: n }, (_, i) => [`id-${i}`, { position: i }]));

describe('DesiredIdSet', () => {
  it('holds desired ids and other ids alike', () => {
    const set = new DesiredIdSet(desiredOf(10), ['id-3', 'gone-1']);
    expect([set.has('id-3'), set.has('gone-1'), set.has('id-4'), set.has('gone-2'), set.size]).toEqual([true, true, false, false, 2]);
    expect(set.add('id-3').add('id-9').add('gone-1').size).toBe(3);
    expect([set.delete('id-3'), set.delete('id-3'), set.delete('gone-1'), set.delete('gone-1'), set.delete('id-0')]).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
    expect([set.has('id-3'), set.has('id-9'), set.has('gone-1'), set.size]).toEqual([false, true, false, 1]);
  });

  it('keeps each position apart from its neighbours', () => {
    const desired = desiredOf(64);
    for (let i = 0; i < 64; i++) {
      const set = new DesiredIdSet(desired, [`id-${i}`]);
      for (let j = 0; j < 64; j++) expect([i, j, set.has(`id-${j}`)]).toEqual([i, j, i === j]);
    }
  });

  it('takes a desired object added to the map after it was made', () => {
    const desired = desiredOf(3);
    const set = new DesiredIdSet(desired);
    desired.set('late', { position: 1000 });
    expect(set.add('late').has('late')).toBe(true);
    expect([set.has('id-0'), set.size]).toEqual([false, 1]);
  });

  it('agrees with a Set over a random sequence of adds and deletes', () => {
    const desired = desiredOf(5000);
    const random = seededRandom(7);
    const set = new DesiredIdSet(desired);
    const reference = new Set<string>();
    const ids = [...desired.keys(), ...Array.from({ length: 50 }, (_, i) => `other-${i}`)];
    for (let step = 0; step < 40_000; step++) {
      const x = ids[Math.floor(random.next() * ids.length)]!;
      if (random.next() < 0.6) {
        set.add(x);
        reference.add(x);
      } else expect(set.delete(x)).toBe(reference.delete(x));
    }
    expect(set.size).toBe(reference.size);
    for (const x of ids) if (set.has(x) !== reference.has(x)) expect.unreachable(`${x}: ${set.has(x)}`);
  });
});
