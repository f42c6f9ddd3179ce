/**
 * A cycle that stops before the process runs out of heap. When V8's heap is full, Node does not throw: it
 * aborts the process (`FATAL ERROR: … JavaScript heap out of memory`), so a cycle dies mid-way with nothing
 * committed and no message a user can act on. A dry run of a million-user tenant did exactly that: it holds
 * its whole plan (every read and every change) and passed Node's default heap limit of about 4 GB.
 *
 * The watchdog looks at the old generation every `everyMs` while the cycle runs. When what it holds passes
 * `share` of its limit it runs a full collection (garbage is not a reason to stop), and if what is left
 * still passes it, it calls `onLow` once with the figures; the caller stops the cycle through its abort
 * signal, so the requests in flight finish and a real cycle commits what it did. Its collections are paced
 * (`MAX_SHARE` of the time since the last one): a live set that stays just under
 * `share` while its garbage crosses it would otherwise get a full collection of gigabytes at every look.
 * Within that wait it does not decide on a heap it has not collected; V8 collects on its own, and the next
 * look after the wait decides. It sees the heap only
 * between tasks: a long synchronous step (the diff of a one-batch plan, printing it) can still allocate past
 * the limit after the last look, which is why `share` leaves a margin.
 *
 * I/O: V8's heap statistics and collector, and a timer, all injectable.
 */
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { elapsedMs, systemClock, type Clock } from './clock.js';
import { exposeGc } from './heap-guard.js';

/** What the heap held when the watchdog stopped the cycle. */
export interface MemoryLow {
  /** Old-generation heap in use after a full collection, bytes. */
  usedBytes: number;
  /** Its limit, bytes: `--max-old-space-size`, or what V8 chose for the machine. */
  limitBytes: number;
}

export interface MemoryWatchdogOptions {
  /**
   * The share of the heap limit past which the cycle stops. V8 gives up before the limit: when full
   * collections free little near it ("Ineffective mark-compacts near heap limit"), which a dry run of
   * 30,000 users under a 120 MB old generation reached at 80-82 % of it; 0.85 let it abort. @default 0.75
   */
  share?: number;
  /** How often the heap is looked at, ms. @default 250 */
  everyMs?: number;
}

export interface MemoryWatchdogDeps {
  /** The heap in use and its limit, bytes. @default V8's old generation: its spaces' bytes in use, and its limit */
  heap?: () => { usedBytes: number; limitBytes: number };
  /** A full collection, or null when there is none. @default V8's gc(), exposed on first need */
  collector?: () => (() => void) | null;
  /** The timer's clock. @default systemClock */
  clock?: Pick<Clock, 'sleep'>;
  /** Real elapsed time in ms, for pacing the collections (any origin). @default elapsedMs (clock.ts) */
  now?: () => number;
}

export const DEFAULT_MEMORY_SHARE = 0.75;
/**
 * The share of a cycle's time the watchdog's own collections may take: after a collection of d ms, none for
 * d × (1 / MAX_SHARE − 1) ms. Near the heap limit a collection of gigabytes takes seconds.
 */
export const MAX_SHARE = 0.1;
export const DEFAULT_MEMORY_EVERY_MS = 250;

/** Starts watching; `stop()` ends it (call it when the cycle ends, or the timer keeps the process alive). */
export function watchMemory(
  onLow: (low: MemoryLow) => void,
  options: MemoryWatchdogOptions = {},
  deps: MemoryWatchdogDeps = {},
): { stop(): void } {
  const share = options.share ?? DEFAULT_MEMORY_SHARE;
  const everyMs = options.everyMs ?? DEFAULT_MEMORY_EVERY_MS;
  if (!(share > 0 && share < 1)) throw new RangeError(`Expected \`share\` to be in (0, 1), got \`${share}\``);
  if (!(everyMs > 0)) throw new RangeError(`Expected \`everyMs\` to be a positive number of ms, got \`${everyMs}\``);
  const heap = deps.heap ?? oldGeneration;
  const clock = deps.clock ?? systemClock;
  const elapsed = deps.now ?? elapsedMs;
  const stopped = new AbortController();
  let gc: (() => void) | null | undefined;
  /** When the watchdog may collect again (after the last collection's pause). */
  let notBefore = -Infinity;

  const look = (): boolean => {
    let now = heap();
    if (now.usedBytes < share * now.limitBytes) return false;
    if (gc === undefined) gc = (deps.collector ?? exposeGc)();
    if (gc) {
      if (elapsed() < notBefore) return false;
      const start = elapsed();
      gc();
      const end = elapsed();
      notBefore = end + (end - start) * (1 / MAX_SHARE - 1);
      now = heap();
      if (now.usedBytes < share * now.limitBytes) return false;
    }
    onLow(now);
    return true;
  };

  void (async () => {
    try {
      for (;;) {
        await clock.sleep(everyMs, stopped.signal);
        if (look()) return;
      }
    } catch {
      // Stopped.
    }
  })();
  return { stop: () => stopped.abort() };
}

/**
 * The young generation's share of V8's `heap_size_limit`: three semi-spaces of 16 MB on 64-bit Node (the
 * limit is `--max-old-space-size` plus these 48 MB). Objects that live on are promoted out of it, so a heap
 * that fills up fills the old generation: comparing all of the heap in use with all of the limit stopped
 * nothing under a small `--max-old-space-size` (120 MB: the stop would come at 143 MB of a 120 MB old
 * generation).
 */
const YOUNG_GENERATION_BYTES = 48 * 2 ** 20;
const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);

/** The old generation: the bytes in use outside the young spaces, and its limit. */
export function oldGeneration(): { usedBytes: number; limitBytes: number } {
  let usedBytes = 0;
  for (const space of getHeapSpaceStatistics()) if (!YOUNG_SPACES.has(space.space_name)) usedBytes += space.space_used_size;
  const limit = getHeapStatistics().heap_size_limit;
  return { usedBytes, limitBytes: limit > 2 * YOUNG_GENERATION_BYTES ? limit - YOUNG_GENERATION_BYTES : limit };
}

/** The user's way out, for messages: the heap figures, and how to give Node more. */
export function memoryLowText(low: MemoryLow): string {
  const gb = (n: number): string => (n < 2 ** 30 ? `${Math.round(n / 2 ** 20)} MB` : `${(n / 2 ** 30).toFixed(1)} GB`);
  const suggested = Math.ceil((low.limitBytes * 2) / 2 ** 30) * 1024;
  return (
    `the Node heap is nearly full (${gb(low.usedBytes)} in use of its ${gb(low.limitBytes)} limit), so the cycle was stopped ` +
    `before Node would abort it; give Node more heap (NODE_OPTIONS=--max-old-space-size=${suggested}) and run it again`
  );
}
