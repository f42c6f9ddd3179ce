/**
 * Bounded memory for long batched cycles. V8 collects its old generation lazily: a 100k-user cycle whose
 * live set stays near 300 MB let its heap grow past 1 GB of garbage (requests in flight survive the young
 * generation's collections and are promoted). Between batches, this guard runs a full collection when the
 * heap has grown past `limitBytes`, which keeps the peak near the live set.
 *
 * Trade-offs:
 * - A full collection takes time in proportion to the live heap. It runs only past the limit, and when the
 *   live set itself is larger than the limit the threshold becomes what survived plus `headroomBytes`, so a
 *   tenant that needs more memory is collected every few batches, not after each one (and never fails: this
 *   only collects sooner). On the 100k-user run this took peak RSS from 578 MB (with a threshold of 1.5 ×
 *   the survivors) to 536 MB, for a few seconds of 75-80.
 * - With a live set of gigabytes (a million users), one collection takes seconds and a batch's garbage
 *   passes the headroom every batch: collections after each batch made a cycle's time grow with the square
 *   of the tenant. So the guard's collections are paced: one runs only when the time since the last one
 *   ended is at least `(1 / maxShare - 1)` times what that one took, which holds them to `maxShare` of the
 *   cycle's time whatever the heap's size. Between them V8 collects on its own terms, as without the guard.
 *   On a 300k-user initial cycle (2 cores, two runs each): unpaced, 75-77 full collections took 54-70 s of
 *   313-371 s; with a share of 0.1, 30-32 took 23-24 s of 259-267 s, at about the same peak RSS (1.26-1.27
 *   against 1.30-1.32 GB), and the time per request stayed what it is at 100k users (323-334 µs against
 *   312-315), where it had grown to 391-464 µs. A share of 0.2 gave 342 s; 0.05, 297 s and 1.77 GB (one
 *   run each). At 100k users a collection is short next to a batch, and the guard collects after every
 *   batch as before.
 * - V8 lets its old generation grow by a factor of 1.1 to 4 past what its last full collection left before
 *   it starts the next one, choosing from its collector's speed against the program's. Between the guard's
 *   paced collections, a million-user cycle's heap grew far past its live set. So on first need the guard
 *   also sets that factor to 1.2 (`limitHeapGrowth`): on the million-user initial cycle (2 cores, runs
 *   alternated in one hour), peak RSS went from 1,204 and 1,149 MB to 1,034 and 1,026 MB; the cycle took
 *   708 and 648 s against 641 s (and 790 s with other work beside it), collecting for about as long
 *   (102-109 s against 103-124 s). Small tenants never pass the limit and keep V8's own factor. The flag
 *   is the process's: once set it stays for the process's life (every later cycle of a `watch`).
 * Without a way to call the collector (see `exposeGc`), the guard only limits the growth.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { elapsedMs } from './clock.js';

const MB = 1024 * 1024;

export interface HeapGuardDeps {
  /** Bytes of heap in use. @default V8's used_heap_size */
  usedHeap?: () => number;
  /** A full collection, or null when there is none. @default V8's gc(), exposed on first need */
  collector?: () => (() => void) | null;
  /** Real elapsed time in ms, for the pacing (any origin). @default elapsedMs (clock.ts) */
  now?: () => number;
  /** Called once, when the heap first passes the limit. @default limitHeapGrowth */
  limitGrowth?: () => void;
}

/** The share of a cycle's time the guard's own collections may take. */
export const DEFAULT_MAX_SHARE = 0.1;

export function heapGuard(
  limitBytes = 256 * MB,
  headroomBytes = 64 * MB,
  deps: HeapGuardDeps = {},
  maxShare = DEFAULT_MAX_SHARE,
): () => void {
  if (!(maxShare > 0 && maxShare <= 1)) throw new RangeError(`Expected \`maxShare\` to be in (0, 1], got \`${maxShare}\``);
  const usedHeap = deps.usedHeap ?? (() => getHeapStatistics().used_heap_size);
  const now = deps.now ?? elapsedMs;
  // Resolved on first need: exposing the collector makes a VM context (milliseconds), which a small
  // cycle should not pay.
  let gc: (() => void) | null | undefined;
  let threshold = limitBytes;
  /** When the guard may collect again (after the last collection's pause). */
  let notBefore = -Infinity;
  return () => {
    if (usedHeap() < threshold) return;
    if (now() < notBefore) return;
    if (gc === undefined) {
      (deps.limitGrowth ?? limitHeapGrowth)();
      gc = (deps.collector ?? exposeGc)();
    }
    if (!gc) return;
    const start = now();
    gc();
    const end = now();
    notBefore = end + (end - start) * (1 / maxShare - 1);
    threshold = Math.max(limitBytes, usedHeap() + headroomBytes);
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
