/**
 * The JSON view (`--json`): the same result objects as the human view, as data. Never includes the token:
 * request headers are left out, and with `secrets` every string (server text in the plan's old values, the
 * log's errors) has each form of them masked before it is serialised (shared/redact-secret.ts). The session's
 * writer masks the serialised text once more.
 */
import type { CycleResult } from '../../engine/reconcile.js';
import { redactSecretsDeep } from '../../shared/redact-secret.js';
import type { RequestSummary } from '../request-log.js';

export function cycleJson(
  cycle: CycleResult,
  requests: readonly RequestSummary[],
  target: string,
  secrets: readonly string[] = [],
): Record<string, unknown> {
  return redactSecretsDeep(
    {
      target,
      cycleId: cycle.cycleId,
      kind: cycle.kind,
      status: cycle.status,
      dryRun: cycle.dryRun,
      startedAt: cycle.startedAt,
      finishedAt: cycle.finishedAt,
      jobFailure: cycle.jobFailure,
      // A large tenant's fixture file written in place mid-cycle: the cycle stopped before its next batch.
      ...(cycle.fixtureChanged !== undefined ? { fixtureChanged: cycle.fixtureChanged } : {}),
      counts: cycle.counts,
      // Batched cycles (more work than one batch) carry no plan and only the failed log entries.
      batched: cycle.batched,
      requests: requests.map((r) => ({ method: r.method, url: r.url, status: r.status })),
      plan: cycle.plan,
      log: cycle.log,
    },
    secrets,
  );
}
