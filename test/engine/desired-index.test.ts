import { describe, expect, it } from 'vitest';
import { DesiredIndex } from '../../src/engine/desired-index.js';
import { seededRandom } from '../../src/shared/random.js';

describe('DesiredIndex', () => {
  it('answers as a Map of the same objects by id, for present and absent ids', () => {
    const r = seededRandom(11);
    for (const n of [0, 1, 2, 15, 16, 17, 1000, 40_000]) {
      // GUIDs as a tenant has them, ids of other shapes, and ids that differ in one character or in case.
      const objects = Array.from({ length: n }, (_, i) => ({ id: i % 3 === 0 ? r.uuid() : `id-${i}`, n: i }));
      const index = new DesiredIndex(objects);
      const map = new Map(objects.map((o) => [o.id, o]));
      expect(index.size).toBe(map.size);
      const probes = [
        ...objects.map((o) => o.id),
        ...objects.slice(0, 500).flatMap((o) => [o.id.toUpperCase(), `${o.id}x`, o.id.slice(1)]),
      ];
      for (const id of [...probes, '', 'id-', r.uuid()]) {
        expect(index.get(id)).toBe(map.get(id));
        expect(index.has(id)).toBe(map.has(id));
      }
    }
  });

  it('keeps the last object of an id given twice, counted once', () => {
    const objects = [
      { id: 'a', n: 0 },
      { id: 'b', n: 1 },
      { id: 'a', n: 2 },
    ];
    const index = new DesiredIndex(objects);
    expect([index.get('a'), index.size]).toEqual([{ id: 'a', n: 2 }, 2]);
  });
});
