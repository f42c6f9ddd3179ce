/**
 * Bounded memory for long batched cycles. V8 collects its old generation lazily: after each full collection
 * it lets the heap grow by a factor of 1.1 to 4 past what survived before it starts the next one, choosing
 * from its collector's speed against the program's. A 100k-user cycle whose live set stays near 300 MB let
 * its heap grow past 1 GB (requests in flight survive the young generation's collections and are promoted),
 * and a million-user cycle's heap grew far past its live set.
 *
 * So when the heap first passes `limitBytes` (at one of the moments its caller calls it: between batches,
 * or during a large tenant's load), the guard sets that factor to 1.2 (`limitHeapGrowth`) and runs one
 * full collection, which puts the factor in force at once: V8 reads it when it sets its next limit, after
 * a full collection. From then on V8 keeps the heap near its live set with its own collections, which
 * mark concurrently on a helper thread; the guard does nothing more. Small tenants never pass the limit and
 * keep V8's own factor. The flag is the process's: once set it stays for
 * the process's life (every later cycle of a `watch`).
 *
 * Trade-offs, measured on 2 cores (initial cycles against the bench stub, 7 December 2026, one hour):
 * - The collection that puts the factor in force is needed. Without it V8 kept the limit it had set before
 *   (up to 4 × the survivors of its last full collection) until its next one: a 100,000-user cycle peaked
 *   at 631 MB against 439 MB with it, and one million-user run of two at 1,761 MB (1.4 GB of heap in use).
 * - The guard used to go on collecting after every batch once the heap passed the survivors plus 64 MB,
 *   paced to a tenth of the cycle's time. With the factor at 1.2 these collections are redundant. At
 *   100,000 users the peak was 439 MB with the one collection, 443 MB with them all. At a million users
 *   each was an atomic pause of about a second: with them all, 670 and 648 s (95-101 s collecting) and
 *   985 and 943 MB; with the one, 638 s (57 s collecting) and 967 MB.
 * Without a way to call the collector (see `exposeGc`), the guard only limits the growth, from V8's next
 * full collection on.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const MB = 1024 * 1024;

export interface HeapGuardDeps {
  /** Bytes of heap in use. @default V8's used_heap_size */
  usedHeap?: () => number;
  /** A full collection, or null when there is none. @default V8's gc(), exposed on first need */
  collector?: () => (() => void) | null;
  /** Called once, when the heap first passes the limit. @default limitHeapGrowth */
  limitGrowth?: () => void;
}

/**
 * Returns the guard: call it where the heap grows (between batches, during a load). Past `limitBytes` of
 * heap in use it acts once, then never again.
 */
export function heapGuard(limitBytes = 256 * MB, deps: HeapGuardDeps = {}): () => void {
  const usedHeap = deps.usedHeap ?? (() => getHeapStatistics().used_heap_size);
  let done = false;
  return () => {
    if (done || usedHeap() < limitBytes) return;
    done = true;
    (deps.limitGrowth ?? limitHeapGrowth)();
    // Exposing the collector makes a VM context (milliseconds), which a small cycle never pays.
    (deps.collector ?? exposeGc)()?.();
  };
}

/** V8's `gc()`, exposed at run time (the flag is read when a new context is made), or null. */
export function exposeGc(): (() => void) | null {
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === 'function') return existing as () => void;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

/** V8's growth of the old generation past what a full collection left, once the guard has work (percent). */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Sets V8's `--heap-growing-percent` to `percent` at run time, unless the process was started with its own
 * (`node --heap-growing-percent=N`, which wins). V8 reads the flag each time it sets the next collection's
 * limit (`MemoryController::GrowingFactor`), so it holds from the next full collection on. Node warns that
 * flags set after start-up may do nothing or misbehave: this one is a number the collector's heuristics read,
 * and the benchmark measures its effect. Returns whether it was set.
 */
export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT, execArgv: readonly string[] = process.execArgv): boolean {
  if (!(Number.isInteger(percent) && percent > 0))
    throw new RangeError(`Expected \`percent\` to be a positive integer, got \`${percent}\``);
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return false;
  try {
    setFlagsFromString(`--heap-growing-percent=${percent}`);
    return true;
  } catch {
    return false;
  }
}
