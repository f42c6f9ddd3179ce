/**
 * The heap guard (shared/heap-guard.ts) where a cycle's garbage piles up: when the evaluation starts (the
 * load's garbage: at a million users about 0.8 GB, against a tenant of 0.4 GB), as it goes (every 10,000
 * objects: reading a large tenant's users back from their files leaves garbage behind each), when each
 * batch starts (the first one after the evaluation's), and after each batch. The guard's own threshold and pacing decide
 * whether it collects; these are only the moments it looks.
 */
import type { EngineHooks } from '../engine/hooks.js';

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
