/**
 * The memory watchdog's rule: past `share` of the heap limit it collects, and only what survives the
 * collection stops the cycle, once. Heap, collector and timer are injected: each `tick()` ends one sleep.
 */
import { describe, expect, it } from 'vitest';
import { getHeapStatistics } from 'node:v8';
import { memoryLowText, oldGeneration, watchMemory, type MemoryLow } from '../../src/shared/memory-watchdog.js';

const GB = 2 ** 30;

/** A timer that fires only when told: `tick()` ends the pending sleep and lets the watchdog look. */
function steppedClock(): { clock: { sleep(ms: number, signal?: AbortSignal): Promise<void> }; tick(): Promise<void>; sleeps: number[] } {
  let wake: (() => void) | null = null;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      sleep: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
          sleeps.push(ms);
          wake = resolve;
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    },
    async tick() {
      const w = wake;
      wake = null;
      w?.();
      // Let the loop run up to its next sleep.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

function fakeHeap(used: number[], limit = 4 * GB) {
  let i = 0;
  const reads: number[] = [];
  return {
    reads,
    heap: () => {
      const usedBytes = used[Math.min(i++, used.length - 1)]!;
      reads.push(usedBytes);
      return { usedBytes, limitBytes: limit };
    },
  };
}

describe('watchMemory', () => {
  it('below the share it only looks, every everyMs', async () => {
    const t = steppedClock();
    const h = fakeHeap([1 * GB]);
    let collections = 0;
    const lows: MemoryLow[] = [];
    const w = watchMemory((l) => lows.push(l), { everyMs: 100 }, { heap: h.heap, clock: t.clock, collector: () => () => collections++ });
    for (let i = 0; i < 3; i++) await t.tick();
    w.stop();
    expect(h.reads.length).toBe(3);
    expect(t.sleeps.every((ms) => ms === 100)).toBe(true);
    expect(collections).toBe(0);
    expect(lows).toEqual([]);
  });

  it('past the share, a collection that brings the heap back under it is enough: the cycle goes on', async () => {
    const t = steppedClock();
    const h = fakeHeap([3.5 * GB, 2 * GB, 2 * GB]);
    let collections = 0;
    const lows: MemoryLow[] = [];
    const w = watchMemory((l) => lows.push(l), {}, { heap: h.heap, clock: t.clock, collector: () => () => collections++ });
    await t.tick();
    await t.tick();
    w.stop();
    expect(collections).toBe(1);
    expect(lows).toEqual([]);
  });

  it('what survives the collection past the share stops the cycle, once, with the figures after the collection', async () => {
    const t = steppedClock();
    const h = fakeHeap([3.9 * GB, 3.6 * GB]);
    const lows: MemoryLow[] = [];
    const w = watchMemory((l) => lows.push(l), { share: 0.85 }, { heap: h.heap, clock: t.clock, collector: () => () => {} });
    await t.tick();
    await t.tick();
    await t.tick();
    w.stop();
    expect(lows).toEqual([{ usedBytes: 3.6 * GB, limitBytes: 4 * GB }]);
    expect(h.reads.length).toBe(2);
  });

  it('its collections are paced: within 9 x the last pause it waits instead of collecting or deciding', async () => {
    const t = steppedClock();
    // Over the share at every read but the one right after each collection.
    const h = fakeHeap([3.5 * GB, 2 * GB, 3.5 * GB, 3.5 * GB, 3.5 * GB, 3.6 * GB]);
    let ms = 0;
    let collections = 0;
    const lows: MemoryLow[] = [];
    const w = watchMemory(
      (l) => lows.push(l),
      {},
      {
        heap: h.heap,
        clock: t.clock,
        now: () => ms,
        collector: () => () => {
          collections++;
          ms += 100; // each collection pauses 100 ms
        },
      },
    );
    await t.tick(); // collects (100 ms): back under, no collection before 100 + 900 ms
    ms = 500;
    await t.tick(); // over, within the wait: neither a collection nor a stop
    expect([collections, lows.length]).toEqual([1, 0]);
    ms = 1000;
    await t.tick(); // the wait is over: collects, and what is left stops the cycle
    w.stop();
    expect(collections).toBe(2);
    expect(lows).toEqual([{ usedBytes: 3.5 * GB, limitBytes: 4 * GB }]);
  });

  it('without a collector, the heap as read decides', async () => {
    const t = steppedClock();
    const h = fakeHeap([3.5 * GB]);
    const lows: MemoryLow[] = [];
    watchMemory((l) => lows.push(l), {}, { heap: h.heap, clock: t.clock, collector: () => null });
    await t.tick();
    expect(lows).toEqual([{ usedBytes: 3.5 * GB, limitBytes: 4 * GB }]);
  });

  it('stop() ends the watch: no look after it', async () => {
    const t = steppedClock();
    const h = fakeHeap([1 * GB]);
    const w = watchMemory(() => {}, {}, { heap: h.heap, clock: t.clock });
    await t.tick();
    w.stop();
    await t.tick();
    await t.tick();
    expect(h.reads.length).toBe(1);
  });

  it('rejects a share or a period that cannot work', () => {
    expect(() => watchMemory(() => {}, { share: 1 })).toThrow(/share/);
    expect(() => watchMemory(() => {}, { share: 0 })).toThrow(/share/);
    expect(() => watchMemory(() => {}, { everyMs: 0 })).toThrow(/everyMs/);
  });

  it('by default it weighs the old generation against its own limit, not the whole heap against the whole limit', () => {
    const whole = getHeapStatistics();
    const old = oldGeneration();
    // heap_size_limit is --max-old-space-size plus the young generation's 48 MB.
    expect(old.limitBytes).toBe(whole.heap_size_limit - 48 * 2 ** 20);
    expect(old.usedBytes).toBeGreaterThan(0);
  });

  it('the message gives the figures and a heap twice the limit, in the flag Node reads', () => {
    expect(memoryLowText({ usedBytes: 3.6 * GB, limitBytes: 4 * GB })).toMatch(
      /3\.6 GB in use of its 4\.0 GB limit.*NODE_OPTIONS=--max-old-space-size=8192/,
    );
    expect(memoryLowText({ usedBytes: 1.8 * GB, limitBytes: 2.05 * GB })).toContain('--max-old-space-size=5120');
    // Below a gigabyte, in MB: "0.1 GB of its 0.1 GB limit" says nothing.
    expect(memoryLowText({ usedBytes: 92 * 2 ** 20, limitBytes: 120 * 2 ** 20 })).toMatch(
      /92 MB in use of its 120 MB limit.*--max-old-space-size=1024/,
    );
  });
});
