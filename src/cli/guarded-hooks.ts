/**
 * The heap guard (shared/heap-guard.ts) at the moments a cycle's heap grows, so that it acts soon after the
 * heap first passes its limit: when the evaluation starts, as it goes (every 10,000 objects: reading a large
 * tenant's users back from their files leaves garbage behind each), when each batch starts and after each
 * batch; sync and watch also give it to the load (`onStreamed`, once the files are streamed), where a large
 * tenant passes the limit first. Until the guard acts, each call is one look at V8's heap statistics; after
 * it, a check of a boolean.
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

/** Load options that also call `guard` once a JSON Lines tenant is streamed (after any `onStreamed` of the caller's). */
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
