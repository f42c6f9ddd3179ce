import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heapGuard, limitHeapGrowth } from '../../src/shared/heap-guard.js';
import { ROOT } from '../helpers/harness.js';

/** The guard's tests below leave V8's flags alone: `limitHeapGrowth` is tested in a child process. */
const keepGrowth = (): void => {};

describe('heapGuard', () => {
  it('collects only past the limit, then only after the survivors grow by the headroom', () => {
    let heap = 50;
    let collections = 0;
    let survivors = 0;
    const guard = heapGuard(100, 30, {
      usedHeap: () => heap,
      limitGrowth: keepGrowth,
      collector: () => () => {
        collections++;
        heap = survivors;
      },
      // Time stands still: collections take no time, so the pacing never holds one back (it has its own tests).
      now: () => 0,
    });
    guard();
    expect(collections).toBe(0); // under the limit
    heap = 120;
    survivors = 40;
    guard();
    expect(collections).toBe(1);
    heap = 99;
    guard();
    expect(collections).toBe(1); // the threshold is the limit again: 40 + 30 < 100
    heap = 100;
    survivors = 90; // a live set near the limit
    guard();
    expect(collections).toBe(2);
    heap = 115;
    guard();
    expect(collections).toBe(2); // 90 survived: next collection at 120, not at every call
    heap = 121;
    guard();
    expect(collections).toBe(3);
  });

  it('does nothing without a collector, and never asks for one while under the limit', () => {
    let asked = 0;
    const guard = heapGuard(100, 10, { usedHeap: () => 500, collector: () => (asked++, null), limitGrowth: keepGrowth });
    guard();
    guard();
    expect(asked).toBe(1);
    let askedUnder = 0;
    heapGuard(100, 10, { usedHeap: () => 5, collector: () => (askedUnder++, null), limitGrowth: keepGrowth })();
    expect(askedUnder).toBe(0);
  });
});

describe('heapGuard pacing', () => {
  it('holds its collections to maxShare of the time: after a collection of d ms, none for d × (1/maxShare − 1) ms', () => {
    let clock = 0;
    let collections = 0;
    // A live set far above the limit (400 survive each collection); every batch's garbage passes the headroom.
    let heap = 600;
    const guard = heapGuard(
      100,
      10,
      {
        usedHeap: () => heap,
        limitGrowth: keepGrowth,
        now: () => clock,
        collector: () => () => {
          collections++;
          clock += 50; // each collection takes 50 ms
          heap = 400;
        },
      },
      0.2,
    );
    guard();
    expect(collections).toBe(1); // the first one runs at once
    heap = 600;
    clock += 199; // 50 × (1/0.2 − 1) = 200 ms must pass after it
    guard();
    expect(collections).toBe(1);
    clock += 1;
    guard();
    expect(collections).toBe(2);
    // Over a long run of batches, the collections take at most a fifth of the time.
    const start = clock;
    for (let i = 0; i < 1000; i++) {
      clock += 10; // a batch
      heap = 600;
      guard();
    }
    expect((collections - 2) * 50).toBeLessThanOrEqual(0.2 * (clock - start) + 50);
    expect(collections).toBeGreaterThan(2);
  });

  it('with the default share, still collects after each batch when collections are short (a small live set)', () => {
    let clock = 0;
    let heap = 0;
    let collections = 0;
    const guard = heapGuard(100, 10, {
      usedHeap: () => heap,
      limitGrowth: keepGrowth,
      now: () => clock,
      collector: () => () => {
        collections++;
        clock += 5;
        heap = 20;
      },
    });
    for (let i = 0; i < 10; i++) {
      heap = 150; // a batch's garbage passes the limit
      clock += 100; // a batch takes 100 ms, far more than 4 × 5 ms
      guard();
    }
    expect(collections).toBe(10);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => heapGuard(100, 10, {}, 0)).toThrow(/maxShare/);
    expect(() => heapGuard(100, 10, {}, 1.5)).toThrow(/maxShare/);
  });
});

describe('heapGuard and the heap growth', () => {
  it("limits V8's heap growth once, when the heap first passes the limit, and never under it", () => {
    let heap = 50;
    let limited = 0;
    let collections = 0;
    const guard = heapGuard(100, 10, {
      usedHeap: () => heap,
      collector: () => () => collections++,
      now: () => 0,
      limitGrowth: () => limited++,
    });
    guard();
    expect(limited).toBe(0);
    heap = 150;
    guard();
    heap = 1000; // past the next threshold: the guard collects again, and does not set the growth again
    guard();
    expect([limited, collections]).toEqual([1, 2]);
    // Without a collector, the growth is limited all the same.
    let limitedAlone = 0;
    heapGuard(100, 10, { usedHeap: () => 150, collector: () => null, limitGrowth: () => limitedAlone++ })();
    expect(limitedAlone).toBe(1);
  });
});

/**
 * V8's own trace of its next limits, in a child process: `Limit: old size: …, new limit: … (F)` after each full
 * collection, F the growing factor it used.
 */
function growthFactors(nodeFlags: string[], call: string): { factors: string[]; returned: string | undefined } {
  const script = `import { limitHeapGrowth } from ${JSON.stringify(join(ROOT, 'src', 'shared', 'heap-guard.ts'))};
console.log('returned:', String(${call}));
let kept = [];
for (let i = 0; i < 200000; i++) kept.push({ i, s: 'x' + i });
gc();
kept = null;
gc();`;
  const r = spawnSync(
    process.execPath,
    [...nodeFlags, '--expose-gc', '--trace-gc-verbose', '--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  expect(r.status, r.stderr).toBe(0);
  // Only the limits set after the call (a collection while the module loaded used the factor before it).
  const after = r.stdout.slice(r.stdout.indexOf('returned: '));
  const factors = [...after.matchAll(/\[HeapController\] Limit: .*\(([\d.]+)\)/g)].map((m) => m[1]!);
  expect(factors.length).toBeGreaterThan(0);
  return { factors, returned: /^returned: (.*)$/m.exec(r.stdout)?.[1] };
}

describe('limitHeapGrowth', () => {
  it('sets the factor V8 grows its heap by from the next collection on, at run time', () => {
    const { factors, returned } = growthFactors([], 'limitHeapGrowth()');
    expect(returned).toBe('true');
    expect(new Set(factors)).toEqual(new Set(['1.2']));
    // Without it, V8 picks its own (4.0 for this small, fast heap).
    const { factors: own } = growthFactors([], 'typeof limitHeapGrowth');
    expect(own).not.toContain('1.2');
  });

  it('leaves a growth given on the command line as it is', () => {
    const { factors, returned } = growthFactors(['--heap-growing-percent=50'], 'limitHeapGrowth()');
    expect(returned).toBe('false');
    expect(new Set(factors)).toEqual(new Set(['1.5']));
  });

  it('refuses a percent that is not a positive integer', () => {
    expect(() => limitHeapGrowth(0, [])).toThrow(/positive integer/);
    expect(() => limitHeapGrowth(1.5, [])).toThrow(/positive integer/);
  });
});
