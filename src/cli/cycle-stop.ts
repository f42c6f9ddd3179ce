/**
 * The signal a command's cycle runs on: it aborts on the user's signal (SIGINT/SIGTERM), or when the
 * memory watchdog sees the heap nearly full (shared/memory-watchdog.ts), so that the cycle stops between
 * requests and commits what it did instead of dying with the process. `memoryLow` tells the two apart.
 */
import { watchMemory, type MemoryLow } from '../shared/memory-watchdog.js';
import type { CliDeps } from './io.js';

export interface CycleStop {
  signal: AbortSignal;
  /** What the heap held when the watchdog stopped the cycle; null when it did not. */
  memoryLow(): MemoryLow | null;
  /** Ends the watch (its timer would keep the process alive) and lets go of the user's signal; once is enough. */
  dispose(): void;
}

export function cycleStop(deps: Pick<CliDeps, 'signal' | 'watchMemory'>): CycleStop {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort(deps.signal?.reason);
  if (deps.signal?.aborted) onSignal();
  else deps.signal?.addEventListener('abort', onSignal, { once: true });
  let low: MemoryLow | null = null;
  let disposed = false;
  const watchdog = (deps.watchMemory ?? watchMemory)((figures) => {
    low = figures;
    stop.abort(new Error('the heap is nearly full'));
  });
  return {
    signal: stop.signal,
    memoryLow: () => low,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      watchdog.stop();
      deps.signal?.removeEventListener('abort', onSignal);
    },
  };
}
