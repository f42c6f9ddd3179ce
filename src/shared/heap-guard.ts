/**
 * Bounded memory for long batched cycles. V8 collects its old generation lazily: a 100k-user cycle whose
 * live set stays near 300 MB let its heap grow past 1 GB of garbage (requests in flight survive the young
 * generation's collections and are promoted). Between batches, this guard runs a full collection when the
 * heap has grown past `limitBytes`, which keeps the peak near the live set.
 *
 * Trade-off: a full collection costs tens of milliseconds; it runs only past the limit, and when the live
 * set itself is larger than the limit the threshold rises to 1.5 × what survived, so a tenant that simply
 * needs more memory is never collected after every batch (and never fails: this only collects sooner).
 * Without a way to call the collector (see `exposeGc`), the guard does nothing.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const MB = 1024 * 1024;

export function heapGuard(limitBytes = 256 * MB): () => void {
  // Resolved on first need: exposing the collector makes a VM context (milliseconds), which a small
  // cycle should not pay.
  let gc: (() => void) | null | undefined;
  let threshold = limitBytes;
  return () => {
    if (getHeapStatistics().used_heap_size < threshold) return;
    if (gc === undefined) gc = exposeGc();
    if (!gc) return;
    gc();
    threshold = Math.max(limitBytes, getHeapStatistics().used_heap_size * 1.5);
  };
}

/** V8's `gc()`, exposed at run time (the flag is read when a new context is made), or null. */
function exposeGc(): (() => void) | null {
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
