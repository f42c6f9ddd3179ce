import { describe, expect, it } from 'vitest';
import { StoredAnchors, type AnchorReader } from '../../src/store/stored-anchors.js';
import type { Anchor } from '../../src/model/records.js';

const link = (id: string, targetId = `t-${id}`): Anchor => ({
  objectType: 'User',
  sourceId: id,
  targetId,
  displayName: id,
  status: 'active',
  exported: { userName: `${id}@x` },
});

/** A reader over a fixed table that records which links were read one by one. */
function reader(ids: string[]): AnchorReader & { reads: string[]; bulk: number } {
  const table = new Map(ids.map((id) => [id, link(id)]));
  const r = {
    reads: [] as string[],
    bulk: 0,
    ids: () => table.keys(),
    one: (id: string) => (r.reads.push(id), table.get(id) ?? null),
    targetIds: () => (r.bulk++, new Map([...table].map(([id, a]) => [id, a.targetId]))),
  };
  return r;
}

describe('StoredAnchors', () => {
  it('knows every id at once and reads a link only when asked, once', () => {
    const r = reader(['a', 'b', 'c']);
    const anchors = new StoredAnchors(r);
    expect(anchors.size).toBe(3);
    expect(anchors.has('b')).toBe(true);
    expect(anchors.has('z')).toBe(false);
    expect([...anchors.keys()]).toEqual(['a', 'b', 'c']);
    expect(r.reads).toEqual([]);
    expect(anchors.get('b')).toEqual(link('b'));
    expect(anchors.get('b')).toBe(anchors.get('b'));
    expect(anchors.get('z')).toBeUndefined();
    expect(r.reads).toEqual(['b']);
  });

  it('behaves as a Map for set, delete and iteration', () => {
    const r = reader(['a', 'b']);
    const anchors = new StoredAnchors(r);
    anchors.set('n', link('n'));
    anchors.set('a', link('a', 'moved'));
    expect(anchors.delete('b')).toBe(true);
    expect(anchors.delete('b')).toBe(false);
    expect(anchors.has('b')).toBe(false);
    expect(anchors.get('b')).toBeUndefined();
    expect([...anchors].map(([id, a]) => `${id}:${a.targetId}`)).toEqual(['a:moved', 'n:t-n']);
    expect(r.reads).toEqual([]); // a was set before it was read: the stored row is never needed
    const seen: string[] = [];
    anchors.forEach((a, id) => seen.push(`${id}=${a.sourceId}`));
    expect(seen).toEqual(['a=a', 'n=n']);
    expect(new Map(anchors)).toEqual(
      new Map([
        ['a', link('a', 'moved')],
        ['n', link('n')],
      ]),
    );
  });

  it('leaves out of its iteration a link whose row is gone since the ids were read', () => {
    const r = reader(['a', 'b', 'c']);
    const anchors = new StoredAnchors({ ...r, one: (id) => (id === 'b' ? null : r.one(id)) });
    expect([...anchors.values()].map((a) => a.sourceId)).toEqual(['a', 'c']);
    expect([...anchors.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('gives target ids in one read until something is set or deleted, then from the links', () => {
    const r = reader(['a', 'b']);
    const anchors = new StoredAnchors(r);
    expect(anchors.targetIds()).toEqual(
      new Map([
        ['a', 't-a'],
        ['b', 't-b'],
      ]),
    );
    expect(r.bulk).toBe(1);
    expect(r.reads).toEqual([]);
    anchors.set('a', link('a', 'moved'));
    anchors.delete('b');
    expect(anchors.targetIds()).toEqual(new Map([['a', 'moved']]));
    expect(r.bulk).toBe(1);
  });
});
