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
