import { describe, expect, it } from 'vitest';
import { heapGuard } from '../../src/shared/heap-guard.js';

describe('heapGuard', () => {
  it('collects only past the limit, then only after the survivors grow by the headroom', () => {
    let heap = 50;
    let collections = 0;
    let survivors = 0;
    const guard = heapGuard(100, 30, {
      usedHeap: () => heap,
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
    const guard = heapGuard(100, 10, { usedHeap: () => 500, collector: () => (asked++, null) });
    guard();
    guard();
    expect(asked).toBe(1);
    let askedUnder = 0;
    heapGuard(100, 10, { usedHeap: () => 5, collector: () => (askedUnder++, null) })();
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
