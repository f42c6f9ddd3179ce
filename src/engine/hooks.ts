/**
 * The engine reports progress only through hooks; renderers (progress bar, log lines, JSON) consume them.
 * Every hook is optional; the default is a no-op.
 */
import type { Change, Plan } from './plan.js';
import type { ChangeOutcome } from './outcome.js';
import type { RetryEvent } from './retry.js';

/**
 * The steps of a cycle before its plan, for a progress line: `probe` (Entra's connection test), `evaluate`
 * (scoping and mapping every source object, pure), `observe` (reading the target: one batch's matches).
 */
export type CyclePhase =
  | { phase: 'probe' }
  | { phase: 'evaluate'; users: number; groups: number }
  | { phase: 'observe'; objects: number; batch?: { index: number; count: number } };

export interface EngineHooks {
  /** A step of the cycle begins (before its plan; the plan itself goes to `onPlan`). */
  onPhase?(phase: CyclePhase): void;
  /**
   * The plan, before anything is sent. A batched cycle (engine/plan-and-apply.ts) calls it once per batch, with the
   * batch's place (a call for deferred references, after the object batches and before the deprovisioning
   * batch, raises `count` by one).
   */
  onPlan?(plan: Plan, batch?: { index: number; count: number }): void;
  /**
   * The evaluation's progress: called after every `EVALUATE_PROGRESS_EVERY` source objects (a tenant of a
   * million users takes tens of seconds to evaluate, in one synchronous step).
   */
  onEvaluated?(progress: { done: number; total: number }): void;
  /** A batched cycle finished a batch: its requests are done and its log is written (a dry run's: its plan is made). */
  onBatchDone?(batch: { index: number; count: number }): void;
  onChangeStart?(change: Change): void;
  onChangeDone?(outcome: ChangeOutcome): void;
  onRetry?(event: RetryEvent & { method: string }): void;
}
