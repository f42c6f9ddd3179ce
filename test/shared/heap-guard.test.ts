import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heapGuard, limitHeapGrowth } from '../../src/shared/heap-guard.js';
import { ROOT } from '../helpers/harness.js';

/** The guard's tests below leave V8's flags alone: `limitHeapGrowth` is tested in a child process. */
const keepGrowth = (): void => {};

describe('heapGuard', () => {
  it('acts once, when the heap first passes the limit: limits the growth, then collects; never again', () => {
    let heap = 50;
    const acts: string[] = [];
    let asked = 0;
    const guard = heapGuard(100, {
      usedHeap: () => heap,
      limitGrowth: () => acts.push('limit'),
      collector: () => (asked++, () => acts.push('collect')),
    });
    guard();
    heap = 99;
    guard();
    expect([acts, asked]).toEqual([[], 0]); // under the limit: not even the collector is asked for
    heap = 100;
    guard();
    // The growth first: the collection is what puts it in force.
    expect(acts).toEqual(['limit', 'collect']);
    heap = 1000; // far past the limit again: V8's own collections have it from here
    guard();
    guard();
    expect([acts, asked]).toEqual([['limit', 'collect'], 1]);
  });

  it('without a collector, limits the growth all the same, and asks for one only once', () => {
    let asked = 0;
    let limited = 0;
    const guard = heapGuard(100, { usedHeap: () => 500, collector: () => (asked++, null), limitGrowth: () => limited++ });
    guard();
    guard();
    expect([asked, limited]).toEqual([1, 1]);
  });

  it('defaults to V8 (a child process): its one collection puts the factor 1.2 in force at once', () => {
    const script = `import { heapGuard } from ${JSON.stringify(join(ROOT, 'src', 'shared', 'heap-guard.ts'))};
const kept = [];
for (let i = 0; i < 200000; i++) kept.push({ i, s: 'x' + i });
const guard = heapGuard(1024 * 1024);
console.log('before');
guard();
console.log('after');
guard();
console.log('again');
console.log(kept.length);`;
    const r = spawnSync(process.execPath, ['--trace-gc', '--trace-gc-verbose', '--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const between = (from: string, to: string): string[] =>
      r.stdout.slice(r.stdout.indexOf(`${from}\n`), r.stdout.indexOf(`${to}\n`)).split('\n');
    // V8 prints the next limit of each full collection, then its summary; a collection asked for by `gc()`
    // ends its summary with "testing". One `gc()` can print two such summaries (it did in one run: most
    // likely V8 finishing a marking it had under way, then collecting), so the count is not pinned to one.
    const asked = (lines: string[]): number[] => lines.flatMap((l, i) => (/Mark-Compact.*testing/.test(l) ? [i] : []));
    const first = between('before', 'after');
    expect(asked(first).length).toBeGreaterThan(0);
    // The limit in force when the call returns: the last one V8 set in it.
    expect(first.findLast((l) => l.includes('[HeapController] Limit:'))).toMatch(/\(1\.2\)$/);
    expect(asked(between('after', 'again'))).toEqual([]);
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
