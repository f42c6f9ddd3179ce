/**
 * Plain cycle results for the notification tests: what a finished cycle hands to `decideNotification`. The
 * quarantines come from the engine's own `enterQuarantine`, so the tests see the series count, `currentBegan`
 * and `nextAttempt` exactly as settle leaves them.
 */
import type { JobFailureInfo } from '../../src/engine/settle.js';
import { enterQuarantine } from '../../src/engine/quarantine.js';
import type { Quarantine } from '../../src/model/records.js';
import type { NotifiableCycle } from '../../src/notify/decide-notification.js';

export const INTERVAL_MS = 40 * 60_000;
export const TARGET = 'https://scim.example.com/scim/v2?aadOptscim062020';
export const TOKEN = 'tok-3f9a1c27e5d84b6aa0c1';

/** A 401 at the connection probe, as engine/probe.ts reports it. */
export const credentialsRefused: JobFailureInfo = {
  reason: 'EncounteredQuarantineException',
  message: 'the connection probe failed: GET https://scim.example.com/scim/v2/Users?filter=userName%20eq%20%22x%22 → 401 Unauthorized',
  request: {
    method: 'GET',
    url: 'https://scim.example.com/scim/v2/Users?filter=userName%20eq%20%22x%22',
    status: 401,
    network: null,
    detail: 'invalid token',
  },
};

export const tooManyDeletes: JobFailureInfo = {
  reason: 'TooManyDeletes',
  message: 'the disables and deletes of this cycle reached the accidental-deletion threshold; none was sent',
};

export const escrowProportion: JobFailureInfo = {
  reason: 'EncounteredEscrowProportionThreshold',
  message: "5200 objects are escrowed and 3100 of this cycle's 6000 failed",
};

/** The quarantine settle leaves after a cycle started at `at` with this failure, from `previous`. */
export function quarantineAfter(previous: Quarantine | null, failure: JobFailureInfo, at: string): Quarantine {
  return enterQuarantine(previous, failure.reason, failure.message, new Date(at), INTERVAL_MS);
}

/** An incremental cycle that started at `startedAt` and ran 2 s; by default it succeeded and left no quarantine. */
export function aCycle(startedAt: string, over: Partial<NotifiableCycle> = {}): NotifiableCycle {
  return {
    cycleId: 'c0ffee00-0000-4000-8000-000000000001',
    kind: 'incremental',
    status: 'succeeded',
    dryRun: false,
    jobFailure: null,
    quarantine: null,
    escrows: { pending: 0, nextRetryAt: null, givenUp: [] },
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 2000).toISOString(),
    ...over,
  };
}

/** A cycle that failed (or crossed a threshold) with `failure`, from the job's quarantine `previous`. */
export function aQuarantiningCycle(
  startedAt: string,
  failure: JobFailureInfo,
  previous: Quarantine | null,
  over: Partial<NotifiableCycle> = {},
): NotifiableCycle {
  const status = failure.request ? 'failed' : 'entry-level-errors';
  return aCycle(startedAt, { status, jobFailure: failure, quarantine: quarantineAfter(previous, failure, startedAt), ...over });
}
