import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryDelay, retryVerdict, withRetry } from '../../src/engine/retry.js';
import { parseRetryAfter } from '../../src/scim/retry-after.js';
import { ManualClock } from '../../src/shared/clock.js';
import { ScimRequestError } from '../../src/shared/errors.js';
import { ServiceIncompatibleError } from '../../src/scim/service-incompatible.js';

const err = (status: number | null, retryAfterMs: number | null = null) =>
  new ScimRequestError({ method: 'GET', url: 'http://127.0.0.1/x', status, entraCode: 'X', retryAfterMs });

describe('parseRetryAfter', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

describe('retryDelay', () => {
  const p = DEFAULT_RETRY_POLICY;
  it('honours Retry-After exactly, up to the cap', () => {
    expect(retryDelay(err(429, 2000), 1, 'PATCH', p, () => 0.5)).toBe(2000);
    expect(retryDelay(err(429, p.maxRetryAfterMs + 1), 1, 'PATCH', p, () => 0.5)).toBeNull();
  });
  it('backs off with jitter for 5xx and network errors, up to the limit', () => {
    expect(retryDelay(err(503), 1, 'GET', p, () => 1)).toBe(p.backoffBaseMs);
    expect(retryDelay(err(500), 3, 'GET', p, () => 1)).toBe(p.backoffBaseMs * 4);
    expect(retryDelay(err(null), 2, 'PATCH', p, () => 0.5)).toBe(p.backoffBaseMs);
    expect(retryDelay(err(500), p.limit + 1, 'GET', p, () => 1)).toBeNull();
  });
  it('never retries client errors, nor a POST that may have been applied', () => {
    expect(retryDelay(err(400), 1, 'PATCH', p, () => 1)).toBeNull();
    expect(retryDelay(err(409), 1, 'POST', p, () => 1)).toBeNull();
    expect(retryDelay(err(null), 1, 'POST', p, () => 1)).toBeNull();
    expect(retryDelay(err(500), 1, 'POST', p, () => 1)).toBeNull();
    expect(retryDelay(err(429, 1000), 1, 'POST', p, () => 1)).toBe(1000);
  });
});

describe('retryVerdict: retry, object failure or job failure', () => {
  const p = DEFAULT_RETRY_POLICY;
  it('401 and 403 are job failures (spec §1.13): the credentials are bad for every object', () => {
    for (const status of [401, 403])
      expect(retryVerdict(err(status), 1, 'PATCH', p, () => 1)).toMatchObject({
        kind: 'job-failure',
        reason: 'EncounteredQuarantineException',
      });
  });
  it('what the ladder retries is retried; the rest fails the object only', () => {
    expect(retryVerdict(err(503), 1, 'GET', p, () => 1)).toEqual({ kind: 'retry', delayMs: p.backoffBaseMs });
    expect(retryVerdict(err(400), 1, 'GET', p, () => 1)).toEqual({ kind: 'object-failure' });
    expect(retryVerdict(err(503), p.limit + 1, 'GET', p, () => 1)).toEqual({ kind: 'object-failure' });
    expect(retryVerdict(new Error('not a request'), 1, 'GET', p, () => 1)).toEqual({ kind: 'object-failure' });
  });
});

describe('withRetry', () => {
  it('reports a job failure before it throws, and does not retry it', async () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    await expect(
      withRetry(
        'POST',
        async () => {
          throw err(401);
        },
        { policy: DEFAULT_RETRY_POLICY, clock, random: () => 0, onJobFailure: (f) => seen.push(f.reason) },
      ),
    ).rejects.toMatchObject({ status: 401 });
    expect(seen).toEqual(['EncounteredQuarantineException']);
    expect(clock.sleeps).toEqual([]);
  });
  it('waits on the injected clock and succeeds on a later attempt', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const value = await withRetry(
      'GET',
      async () => {
        calls += 1;
        if (calls < 3) throw err(429, 1500);
        return 'ok';
      },
      { policy: DEFAULT_RETRY_POLICY, clock, random: () => 0.5 },
    );
    expect(value).toBe('ok');
    expect(clock.sleeps).toEqual([1500, 1500]);
  });
  it('gives up with the last error', async () => {
    const clock = new ManualClock();
    await expect(
      withRetry(
        'GET',
        async () => {
          throw err(502);
        },
        { policy: { ...DEFAULT_RETRY_POLICY, limit: 2 }, clock, random: () => 0 },
      ),
    ).rejects.toMatchObject({ status: 502 });
    expect(clock.sleeps).toHaveLength(2);
  });
});

describe('an answer provsim cannot use', () => {
  it.each([null, 200, 500, 503])('is never retried (status %s): the same request would get the same answer', (status) => {
    const error = new ServiceIncompatibleError({ method: 'GET', url: 'http://127.0.0.1/scim/v2/Users/{id}', status, reason: 'x' });
    expect(retryDelay(error, 1, 'GET', DEFAULT_RETRY_POLICY, () => 0.5)).toBeNull();
  });
});

describe('a stopped cycle', () => {
  it('retries nothing: the error of a request aborted by the stop is thrown at once', async () => {
    const controller = new AbortController();
    controller.abort(new Error('terminated'));
    let calls = 0;
    const retries: number[] = [];
    const error = new ScimRequestError({
      method: 'GET',
      url: 'http://127.0.0.1/scim/v2/Users',
      status: null,
      entraCode: 'Timeout',
      network: 'ERR_CANCELED',
      reason: 'canceled',
    });
    await expect(
      withRetry(
        'GET',
        () => {
          calls += 1;
          return Promise.reject(error);
        },
        {
          policy: DEFAULT_RETRY_POLICY,
          clock: new ManualClock('2026-01-01T00:00:00Z'),
          random: () => 0.5,
          onRetry: (e) => retries.push(e.attempt),
          signal: controller.signal,
        },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
    expect(retries).toEqual([]);
  });
});
