/** What applying one change did. Partial success is normal: apply returns one outcome per change. */
import type { Change } from './plan.js';
import type { RequestFailure } from './observation.js';

export interface ChangeOutcome {
  change: Change;
  status: 'success' | 'failure' | 'skipped';
  /** The target id after the change (set by creates). */
  targetId: string | null;
  failure: RequestFailure | null;
  /** Reference changes: ids that could not be resolved to target objects and were left out. */
  unresolved: string[];
  durationMs: number;
}
