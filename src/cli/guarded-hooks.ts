/**
 * The heap guard (shared/heap-guard.ts) at the moments a cycle's heap grows: when the evaluation starts (what
 * the end of the load left: at a million users about 0.3 GB, against a tenant of 0.33 GB; sync and watch
 * also give the guard to the load, `onStreamed`, for what streaming the files left), as it goes (every 10,000
 * objects: reading a large tenant's users back from their files leaves garbage behind each), when each
 * batch starts (the first one after the evaluation's), and after each batch. The guard acts once, at the
 * first of these moments its limit is passed; after that each call is one look at V8's heap statistics.
 */
import type { EngineHooks } from '../engine/hooks.js';
import type { LoadTenantOptions } from '../source/index.js';

export function guardedHooks(guard: () => void, hooks: EngineHooks = {}): EngineHooks {
  const { onPhase, onEvaluated, onBatchDone } = hooks;
  return {
    ...hooks,
    onPhase: (p) => {
      onPhase?.(p);
      if (p.phase === 'evaluate' || p.phase === 'observe') guard();
    },
    onEvaluated: (p) => {
      onEvaluated?.(p);
      guard();
    },
    onBatchDone: (b) => {
      onBatchDone?.(b);
      guard();
    },
  };
}

/** Load options that also let `guard` collect once a JSON Lines tenant is streamed (after any `onStreamed` of the caller's). */
export function withGuard(options: LoadTenantOptions = {}, guard: () => void): LoadTenantOptions {
  const { onStreamed } = options;
  return {
    ...options,
    onStreamed: () => {
      onStreamed?.();
      guard();
    },
  };
}
