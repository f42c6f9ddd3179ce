import { describe, expect, it } from 'vitest';
import { guardedHooks, withGuard } from '../../src/cli/guarded-hooks.js';
import type { CyclePhase } from '../../src/engine/hooks.js';

describe('guardedHooks', () => {
  it('looks at the heap when the evaluation starts and as it goes, when each batch starts and after each batch, after the hooks it wraps', () => {
    const calls: string[] = [];
    const hooks = guardedHooks(() => calls.push('guard'), {
      onPhase: (p) => calls.push(p.phase),
      onEvaluated: (p) => calls.push(`evaluated ${p.done}`),
      onBatchDone: (b) => calls.push(`done ${b.index}`),
      onPlan: () => calls.push('plan'),
    });
    const phases: CyclePhase[] = [
      { phase: 'probe' },
      { phase: 'evaluate', users: 3, groups: 0 },
      { phase: 'observe', objects: 2, batch: { index: 1, count: 2 } },
    ];
    for (const p of phases) {
      hooks.onPhase!(p);
      if (p.phase === 'evaluate') hooks.onEvaluated!({ done: 2, total: 3 });
    }
    hooks.onPlan!({} as never);
    hooks.onBatchDone!({ index: 1, count: 2 });
    expect(calls).toEqual(['probe', 'evaluate', 'guard', 'evaluated 2', 'guard', 'observe', 'guard', 'plan', 'done 1', 'guard']);
  });

  it('guards a cycle that brings no hooks of its own', () => {
    let looks = 0;
    const hooks = guardedHooks(() => looks++);
    hooks.onPhase!({ phase: 'evaluate', users: 1, groups: 0 });
    hooks.onEvaluated!({ done: 1, total: 1 });
    hooks.onBatchDone!({ index: 1, count: 1 });
    expect(looks).toBe(3);
  });
});

describe('withGuard', () => {
  it("runs the caller's onStreamed, then the guard, and keeps the caller's other load options", () => {
    const calls: string[] = [];
    const options = withGuard({ readBackAboveBytes: 5, onStreamed: () => calls.push('caller') }, () => calls.push('guard'));
    options.onStreamed?.();
    expect([calls, options.readBackAboveBytes]).toEqual([['caller', 'guard'], 5]);
    const alone: string[] = [];
    withGuard(undefined, () => alone.push('guard')).onStreamed?.();
    expect(alone).toEqual(['guard']);
  });
});
