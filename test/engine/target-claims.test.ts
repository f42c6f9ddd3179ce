import { describe, expect, it } from 'vitest';
import { DesiredIndex } from '../../src/engine/desired-index.js';
import { TargetClaims } from '../../src/engine/target-claims.js';
import type { ObjectType } from '../../src/model/records.js';
import { seededRandom } from '../../src/shared/random.js';

/** Desired objects as a cycle has them: ids at positions 0..n-1; every fifth has an empty display name. */
const desiredOf = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `id-${i}`, position: i, displayName: i % 5 === 0 ? '' : `Name ${i}` }));

/** The claims as a Map of target id to source id per object type: what the tables must agree with. */
function mapClaims(nameOf: (id: string) => string | undefined) {
  const byType = { User: new Map<string, string>(), Group: new Map<string, string>() };
  return (objectType: ObjectType, targetId: string, sourceId: string): string | null => {
    const claims = byType[objectType];
    const other = claims.get(targetId);
    if (other === undefined) claims.set(targetId, sourceId);
    else if (other !== sourceId) return nameOf(other) ?? other;
    return null;
  };
}

describe('TargetClaims', () => {
  it('agrees with a Map of claims over random claims: desired and gone objects, shared and second target ids, both types', () => {
    const desired = desiredOf(4_000);
    const index = new DesiredIndex(desired);
    const claims = new TargetClaims(desired, index);
    const expected = mapClaims((id) => index.get(id)?.displayName);
    const r = seededRandom(11);
    const pick = (n: number): number => Math.floor(r.next() * n);
    let refused = 0;
    // Enough claims to make each table grow from 64 slots several times.
    for (let step = 0; step < 12_000; step++) {
      const sourceId = r.next() < 0.9 ? `id-${pick(4_000)}` : `gone-${pick(200)}`;
      // Few enough target ids that many are claimed twice; an object may claim a second one.
      const targetId = `t-${pick(6_000)}`;
      const objectType: ObjectType = r.next() < 0.8 ? 'User' : 'Group';
      const got = claims.claim(objectType, targetId, sourceId);
      expect(got).toBe(expected(objectType, targetId, sourceId));
      if (got !== null) refused++;
    }
    // Both answers were exercised, the empty display name among the refusals.
    expect(refused).toBeGreaterThan(1_000);
    expect(claims.claim('User', 'only-a-user', 'id-0')).toBeNull();
    expect(claims.claim('User', 'only-a-user', 'id-5')).toBe('');
    expect(claims.claim('Group', 'only-a-user', 'id-5')).toBeNull();
  });

  it('names the holder by its display name, or by its id when the cycle does not hold it', () => {
    const desired = desiredOf(3);
    const claims = new TargetClaims(desired, new DesiredIndex(desired));
    expect(claims.claim('User', 'x', 'id-1')).toBeNull();
    expect(claims.claim('User', 'x', 'id-1')).toBeNull(); // its own, again
    expect(claims.claim('User', 'x', 'id-2')).toBe('Name 1');
    expect(claims.claim('User', 'y', 'gone')).toBeNull();
    expect(claims.claim('User', 'y', 'id-2')).toBe('gone');
    // Without desired objects every claim is kept by id.
    const bare = new TargetClaims();
    expect([bare.claim('Group', 'g', 'a'), bare.claim('Group', 'g', 'b')]).toEqual([null, 'a']);
  });
});
