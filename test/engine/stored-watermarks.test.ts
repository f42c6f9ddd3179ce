import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DesiredIndex } from '../../src/engine/desired-index.js';
import { readWatermarks } from '../../src/engine/read-records.js';
import { NO_WATERMARKS, StoredWatermarks } from '../../src/engine/stored-watermarks.js';
import { seededRandom } from '../../src/shared/random.js';
import { StateStore } from '../../src/store/store.js';

const placed = (objects: ReadonlyArray<{ id: string; hash: string }>) => objects.map((o, position) => ({ ...o, position }));
/** The rows of a store, as `forEachWatermark` visits them. */
const rows =
  (entries: Iterable<readonly [string, string]>) =>
  (visit: (id: string, hash: string) => void): void => {
    for (const [id, hash] of entries) visit(id, hash);
  };

describe('StoredWatermarks', () => {
  it('answers as the map of stored hashes compared with the desired objects, for desired, gone and unknown ids', () => {
    const r = seededRandom(7);
    for (const n of [0, 1, 17, 5000]) {
      const desired = placed(Array.from({ length: n }, (_, i) => ({ id: i % 2 ? r.uuid() : `u-${i}`, hash: `h${i}` })));
      // Of the desired objects: a third unchanged, a third changed, a third never stored; and some gone from Entra.
      const stored = new Map<string, string>();
      desired.forEach((d, i) => {
        if (i % 3 === 0) stored.set(d.id, d.hash);
        else if (i % 3 === 1) stored.set(d.id, `${d.hash}-old`);
      });
      const gone = Array.from({ length: Math.ceil(n / 10) }, (_, i) => `gone-${i}`);
      for (const id of gone) stored.set(id, 'x');
      const w = new StoredWatermarks(rows(stored), new DesiredIndex(desired));
      const hashOf = new Map(desired.map((d) => [d.id, d.hash]));
      for (const id of [...stored.keys(), ...desired.map((d) => d.id), 'unknown', '']) {
        expect(w.has(id)).toBe(stored.has(id));
        expect(w.unchanged(id)).toBe(hashOf.has(id) && stored.get(id) === hashOf.get(id));
      }
      expect(w.gone).toEqual(gone);
    }
  });

  it('an id the desired objects hold twice is compared with its last object, as the cycle finds it', () => {
    const desired = placed([
      { id: 'a', hash: 'first' },
      { id: 'b', hash: 'hb' },
      { id: 'a', hash: 'last' },
    ]);
    const index = new DesiredIndex(desired);
    expect(new StoredWatermarks(rows([['a', 'last']]), index).unchanged('a')).toBe(true);
    expect(new StoredWatermarks(rows([['a', 'first']]), index).unchanged('a')).toBe(false);
    expect(new StoredWatermarks(rows([['a', 'first']]), index).has('b')).toBe(false);
  });

  it('NO_WATERMARKS holds none', () => {
    expect([NO_WATERMARKS.has('a'), NO_WATERMARKS.unchanged('a'), NO_WATERMARKS.gone]).toEqual([false, false, []]);
  });
});

describe('readWatermarks', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  /** A new state file in a temporary directory, removed after the test. */
  const newStore = (): StateStore => {
    dir = mkdtempSync(join(tmpdir(), 'provsim-watermarks-'));
    return new StateStore(join(dir, 'state.db'));
  };

  it('compares the state file’s watermarks row by row, and leaves the connection free for the cycle’s writes', () => {
    const store = newStore();
    try {
      store.putWatermark('same', 'User', 'h-same');
      store.putWatermark('changed', 'User', 'h-old');
      store.putWatermark('gone', 'Group', 'h-gone');
      const desired = placed([
        { id: 'same', hash: 'h-same' },
        { id: 'changed', hash: 'h-new' },
        { id: 'new', hash: 'h-x' },
      ]);
      const w = readWatermarks(store, new DesiredIndex(desired));
      expect(['same', 'changed', 'new', 'gone'].map((id) => [w.has(id), w.unchanged(id)])).toEqual([
        [true, true],
        [true, false],
        [false, false],
        [true, false],
      ]);
      expect(w.gone).toEqual(['gone']);
      store.putWatermark('new', 'User', 'h-x');
      expect(store.watermarks().get('new')).toBe('h-x');
    } finally {
      store.close();
    }
  });

  it('a visitor that throws leaves the connection free', () => {
    const store = newStore();
    try {
      store.putWatermark('a', 'User', 'h-a');
      store.putWatermark('b', 'User', 'h-b');
      expect(() =>
        store.forEachWatermark(() => {
          throw new Error('stop');
        }),
      ).toThrow('stop');
      store.putWatermark('c', 'User', 'h-c');
      expect(store.watermarks().size).toBe(3);
    } finally {
      store.close();
    }
  });
});
