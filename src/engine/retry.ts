/**
 * Retry ladder within a cycle (shaped like ky's RetryOptions, spec §5.10). Every failed request gets one of
 * three verdicts (controller-runtime's requeue / error / TerminalError):
 * - `retry`: sent again after a delay, within the cycle;
 * - `object-failure`: the object fails (escrowed, retried in a later cycle), the cycle goes on;
 * - `job-failure`: 401 or 403, the credentials are bad for the whole job (spec §1.13): the cycle stops
 *   after the requests in flight and the job is quarantined, as Entra does.
 *
 * Delays:
 * - 429 and 503 with `Retry-After`: wait exactly that long (no jitter), capped by `maxRetryAfterMs`;
 *   a longer wait gives up (the object is retried in a later cycle).
 * - 429/5xx without it, and network errors/timeouts: exponential back-off with full jitter.
 * - Anything else (4xx): not retried here; it is an object failure.
 * - A POST that failed without a response (timeout, reset), or with a 5xx other than 503, is NOT resent:
 *   the server may have created the object. The object fails, and the next cycle looks it up by its
 *   matching attribute before any POST (it has no link), so a created object is linked, not duplicated.
 * Time and randomness are injected, so tests run back-offs in simulated time.
 */
import type { Clock } from '../shared/clock.js';
import { ServiceIncompatibleError } from '../scim/service-incompatible.js';
import { ScimRequestError } from '../shared/errors.js';
import type { Random } from '../shared/random.js';
import type { FailedRequest } from './settle.js';

export interface RetryPolicy {
  /** Attempts after the first. @default 3 */
  limit: number;
  /** Statuses worth retrying. @default [408, 429, 500, 502, 503, 504] */
  statusCodes: readonly number[];
  /** Longest Retry-After honoured, in ms; a longer one fails the request. @default 60000 */
  maxRetryAfterMs: number;
  /** First back-off, in ms; doubles each attempt. @default 500 */
  backoffBaseMs: number;
  /** Longest back-off, in ms. @default 10000 */
  backoffMaxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  limit: 3,
  statusCodes: [408, 429, 500, 502, 503, 504],
  maxRetryAfterMs: 60_000,
  backoffBaseMs: 500,
  backoffMaxMs: 10_000,
};

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  error: ScimRequestError;
}

/** What happens after a failed request. */
export type RetryVerdict =
  | { kind: 'retry'; delayMs: number }
  | { kind: 'object-failure' }
  | { kind: 'job-failure'; reason: 'EncounteredQuarantineException'; message: string; request: FailedRequest };

/** The verdict on a failed attempt `attempt` (1-based) of `method`. Pure. */
export function retryVerdict(error: unknown, attempt: number, method: string, policy: RetryPolicy, random: () => number): RetryVerdict {
  if (error instanceof ScimRequestError && (error.status === 401 || error.status === 403)) {
    return {
      kind: 'job-failure',
      reason: 'EncounteredQuarantineException',
      message: `the target refused the credentials mid-cycle (${error.message}); the cycle stopped after the requests in flight`,
      request: failedRequest(error),
    };
  }
  const delayMs = retryDelay(error, attempt, method, policy, random);
  return delayMs === null ? { kind: 'object-failure' } : { kind: 'retry', delayMs };
}

/** What a person needs of a failed request (never its headers). */
export function failedRequest(error: ScimRequestError): FailedRequest {
  const detail = error.scimError?.detail ?? error.bodyText;
  return {
    method: error.method,
    url: error.url,
    status: error.status,
    network: error.network,
    detail: typeof detail === 'string' ? detail : null,
  };
}

/** The delay before retry `attempt` (1-based), or null when the error must not be retried. Pure. */
export function retryDelay(error: unknown, attempt: number, method: string, policy: RetryPolicy, random: () => number): number | null {
  if (!(error instanceof ScimRequestError) || attempt > policy.limit) return null;
  // An answer provsim cannot use (an unusable id, a body over the cap) or a request refused before sending
  // would be the same on a retry.
  if (error instanceof ServiceIncompatibleError) return null;
  if (error.status === null) {
    if (method === 'POST') return null;
  } else if (!policy.statusCodes.includes(error.status)) {
    return null;
  } else if (method === 'POST' && error.status !== 429 && error.status !== 503) {
    // The server may have acted on the POST; only "not processed" answers are safe to resend.
    return null;
  }
  if (error.retryAfterMs !== null && (error.status === 429 || error.status === 503)) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : null;
  }
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export async function withRetry<T>(
  method: string,
  fn: () => Promise<T>,
  deps: {
    policy: RetryPolicy;
    clock: Clock;
    random: () => number;
    onRetry?: (e: RetryEvent) => void;
    /** A job-level failure: called before the error is thrown, so the caller can stop the cycle. */
    onJobFailure?: (failure: { reason: string; message: string; request: FailedRequest }) => void;
    signal?: AbortSignal;
  },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const verdict = retryVerdict(error, attempt, method, deps.policy, deps.random);
      if (verdict.kind === 'job-failure') deps.onJobFailure?.(verdict);
      // A stopped cycle retries nothing (a SIGTERM's aborted requests are not the server's failures).
      if (verdict.kind !== 'retry' || deps.signal?.aborted) throw error;
      deps.onRetry?.({ attempt, delayMs: verdict.delayMs, error: error as ScimRequestError });
      await deps.clock.sleep(verdict.delayMs, deps.signal);
    }
  }
}
