/**
 * The engine reports progress only through hooks; renderers (progress bar, log lines, JSON) consume them.
 * Every hook is optional; the default is a no-op.
 */
import type { Change, Plan } from './plan.js';
import type { ChangeOutcome } from './outcome.js';
import type { RetryEvent } from './retry.js';

export interface EngineHooks {
  /**
   * The plan, before anything is sent. A batched cycle (engine/plan-and-apply.ts) calls it once per batch, with the
   * batch's place (a call for deferred references, after the object batches and before the deprovisioning
   * batch, raises `count` by one).
   */
  onPlan?(plan: Plan, batch?: { index: number; count: number }): void;
  /** A batched cycle finished a batch (its requests are done and its log is written). */
  onBatchDone?(batch: { index: number; count: number }): void;
  onChangeStart?(change: Change): void;
  onChangeDone?(outcome: ChangeOutcome): void;
  onRetry?(event: RetryEvent & { method: string }): void;
}
