/**
 * The engine reports progress only through hooks; renderers (progress bar, log lines, JSON) consume them.
 * Every hook is optional; the default is a no-op.
 */
import type { Change, Plan } from './plan.js';
import type { ChangeOutcome } from './outcome.js';
import type { RequestEvent } from '../scim/client.js';
import type { RetryEvent } from './retry.js';

export interface EngineHooks {
  onPlan?(plan: Plan): void;
  onChangeStart?(change: Change): void;
  onChangeDone?(outcome: ChangeOutcome): void;
  onRetry?(event: RetryEvent & { method: string }): void;
  onRequest?(event: RequestEvent): void;
}
