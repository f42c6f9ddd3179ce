/** The JSON view (`--json`): the same result objects as the human view, as data. Never includes the token. */
import type { CycleResult } from '../../engine/reconcile.js';
import type { RequestEvent } from '../../scim/client.js';

export function cycleJson(cycle: CycleResult, requests: readonly RequestEvent[], target: string): Record<string, unknown> {
  return {
    target,
    cycleId: cycle.cycleId,
    kind: cycle.kind,
    status: cycle.status,
    dryRun: cycle.dryRun,
    startedAt: cycle.startedAt,
    finishedAt: cycle.finishedAt,
    jobFailure: cycle.jobFailure,
    counts: cycle.counts,
    // Batched cycles (more work than one batch) carry no plan and only the failed log entries.
    batched: cycle.batched,
    requests: requests.map((r) => ({ method: r.method, url: r.url, status: r.status })),
    plan: cycle.plan,
    log: cycle.log,
  };
}
